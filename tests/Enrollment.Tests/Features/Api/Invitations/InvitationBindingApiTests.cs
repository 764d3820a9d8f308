using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Api.Invitations.InvitationsApiClient;

namespace Enrollment.Tests.Features.Api.Invitations;

/// <summary><c>groups</c>, <c>email</c> and <c>email_domains</c> on <c>/api/v3/stages/invitation/invitations/</c>: round trip, events, refusals.</summary>
[Collection(WriteInvitationsApiCollection.Name)]
public sealed class InvitationBindingApiTests(Hosts.Default app)
{
    private Task<Invitation?> StoredAsync(Guid pk) =>
        app.DbAsync(db => db.Invitations.AsNoTracking().Include(i => i.Groups).SingleOrDefaultAsync(i => i.Id == pk));

    [Fact]
    public async Task Groups_email_and_domains_round_trip_and_the_events_name_them()
    {
        var p = ApiJsonClient.Unique("bind");
        var (a, b) = (await app.AddGroupAsync($"{p}-a"), await app.AddGroupAsync($"{p}-b"));
        using var client = app.ApiClient();

        var created = await client.SendJsonAsync(HttpMethod.Post, List,
            $$"""{"name":"{{p}}","groups":["{{a.Id}}","{{b.Id}}","{{a.Id}}"],"email":" Ann@Example.com ","email_domains":["Example.com","example.com."]}""",
            HttpStatusCode.Created);
        var pk = Guid.Parse((string)created["pk"]!);
        Assert.Equal(new[] { a.Id, b.Id }.Order().Select(g => g.ToString()), created["groups"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("Ann@Example.com", (string?)created["email"]);
        Assert.Equal(["example.com"], created["email_domains"]!.AsArray().Select(n => (string)n!));
        var stored = await StoredAsync(pk);
        Assert.Equal(new[] { a.Id, b.Id }.Order(), stored!.Groups.Select(g => g.GroupId).Order());

        var read = await client.GetJsonAsync($"{List}{pk}/");
        Assert.True(JsonNode.DeepEquals(created, read), read.ToJsonString());
        var createdEvent = Assert.Single(await app.EventsAboutAsync("invitation_created", pk));
        Assert.Equal("Ann@Example.com", (string?)createdEvent.Context["email"]);
        Assert.Equal(2, createdEvent.Context["groups"]!.AsArray().Count);
        Assert.Equal("example.com", (string?)createdEvent.Context["email_domains"]![0]);

        // A PATCH of one field leaves the others; clearing takes null / [].
        var patched = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{pk}/", $$"""{"groups":["{{b.Id}}"],"email":null}""", HttpStatusCode.OK);
        Assert.Equal([b.Id.ToString()], patched["groups"]!.AsArray().Select(n => (string)n!));
        Assert.Null(patched["email"]);
        Assert.Equal(["example.com"], patched["email_domains"]!.AsArray().Select(n => (string)n!));
        var updated = (await app.EventsAboutAsync("model_updated", pk)).Last();
        Assert.Null((string?)updated.Context["email"]);
        Assert.Equal(b.Id.ToString(), (string?)updated.Context["groups"]![0]);

        var cleared = await client.SendJsonAsync(HttpMethod.Put, $"{List}{pk}/", $$"""{"name":"{{p}}","groups":[],"email_domains":[]}""", HttpStatusCode.OK);
        Assert.Empty(cleared["groups"]!.AsArray());
        Assert.Empty(cleared["email_domains"]!.AsArray());
        Assert.Empty((await StoredAsync(pk))!.Groups);
    }

    [Fact]
    public async Task Invitations_without_them_show_empty_lists_and_null()
    {
        var p = ApiJsonClient.Unique("plain");
        using var client = app.ApiClient();
        var created = await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"name":"{{p}}"}""", HttpStatusCode.Created);
        Assert.Empty(created["groups"]!.AsArray());
        Assert.Null(created["email"]);
        Assert.Empty(created["email_domains"]!.AsArray());
    }

    [Fact]
    public async Task A_deleted_group_is_left_out_of_the_answer()
    {
        var p = ApiJsonClient.Unique("gone");
        var (kept, gone) = (await app.AddGroupAsync($"{p}-kept"), await app.AddGroupAsync($"{p}-gone"));
        using var client = app.ApiClient();
        var created = await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"name":"{{p}}","groups":["{{kept.Id}}","{{gone.Id}}"]}""", HttpStatusCode.Created);
        await app.DbAsync(db => db.Groups.Where(g => g.Id == gone.Id).ExecuteDeleteAsync());

        var read = await client.GetJsonAsync($"{List}{created["pk"]}/");
        Assert.Equal([kept.Id.ToString()], read["groups"]!.AsArray().Select(n => (string)n!));
        // …so sending back what was read is accepted.
        await client.SendJsonAsync(HttpMethod.Put, $"{List}{created["pk"]}/", read.ToJsonString(), HttpStatusCode.OK);
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"groups":["00000000-0000-0000-0000-0000000000bb"]}""", """{"groups":["Invalid pk \"00000000-0000-0000-0000-0000000000bb\" - object does not exist."]}""" },
        { """{"groups":["staff"]}""", """{"groups":["Invalid pk \"staff\" - object does not exist."]}""" },
        { """{"groups":[5]}""", """{"groups":["Incorrect type. Expected pk value, received a number."]}""" },
        { """{"groups":"x"}""", """{"groups":["Expected a list of items but got type \"str\"."]}""" },
        { """{"groups":null}""", """{"groups":["This field may not be null."]}""" },
        { """{"email":"not-an-address"}""", """{"email":["Enter a valid email address, like jane@example.com."]}""" },
        { """{"email":5}""", """{"email":["Not a valid string."]}""" },
        { """{"email_domains":["@example.com"]}""", """{"email_domains":["\u201C@example.com\u201D is not a domain name: enter only the part after the @, like example.com."]}""" },
        { """{"email_domains":["exa mple.com"]}""", """{"email_domains":["\u201Cexa mple.com\u201D is not a domain name: it contains a space."]}""" },
        { """{"email_domains":["localhost"]}""", """{"email_domains":["\u201Clocalhost\u201D is not a domain name; enter one like example.com."]}""" },
        { """{"email_domains":"example.com"}""", """{"email_domains":["Expected a list of items but got type \"str\"."]}""" },
        { """{"email_domains":[7]}""", """{"email_domains":["Each domain must be a string, like \"example.com\"."]}""" },
        { """{"email":"a@example.org","email_domains":["example.com"]}""", """{"email":["This address is not in any of the invitation's email domains, so nobody could enroll. Change the address or the domains."]}""" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Bad_values_are_a_400_on_the_field_and_nothing_is_saved(string fields, string expected)
    {
        var p = ApiJsonClient.Unique("bad");
        using var client = app.ApiClient();
        var body = JsonNode.Parse(fields)!.AsObject();
        body["name"] = p;

        var answer = await client.SendJsonAsync(HttpMethod.Post, List, body.ToJsonString(), HttpStatusCode.BadRequest);

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), answer), answer.ToJsonString());
        Assert.False(await app.DbAsync(db => db.Invitations.AnyAsync(i => i.Name == p)));
    }

    [Fact]
    public async Task More_than_a_hundred_domains_are_refused()
    {
        var p = ApiJsonClient.Unique("many");
        using var client = app.ApiClient();
        var domains = new JsonArray(Enumerable.Range(0, 101).Select(i => (JsonNode)JsonValue.Create($"d{i}.example.com")).ToArray());
        var answer = await client.SendJsonAsync(HttpMethod.Post, List, new JsonObject { ["name"] = p, ["email_domains"] = domains }.ToJsonString(), HttpStatusCode.BadRequest);
        Assert.Equal("List at most 100 domains (101 given).", (string?)answer["email_domains"]![0]);
    }

    /// <summary>A PATCH of the address alone is checked against the domains already stored, and changes nothing when refused.</summary>
    [Fact]
    public async Task A_patch_of_the_address_alone_must_fit_the_stored_domains()
    {
        var p = ApiJsonClient.Unique("fit");
        using var client = app.ApiClient();
        var created = await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"name":"{{p}}","email_domains":["example.com"]}""", HttpStatusCode.Created);
        var pk = Guid.Parse((string)created["pk"]!);

        var answer = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{pk}/", """{"email":"x@example.org"}""", HttpStatusCode.BadRequest);

        Assert.Contains("not in any of the invitation's email domains", (string?)answer["email"]![0]);
        Assert.Null((await StoredAsync(pk))!.Email);
    }
}
