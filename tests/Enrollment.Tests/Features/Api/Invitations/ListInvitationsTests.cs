using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Features.Api.Invitations.InvitationsApiClient;

namespace Enrollment.Tests.Features.Api.Invitations;

/// <summary><c>GET /api/v3/stages/invitation/invitations/</c>: authentik's shape, filters, ordering and paging.</summary>
[Collection(ReadInvitationsApiCollection.Name)]
public sealed class ListInvitationsTests(Hosts.Default app)
{
    [Theory]
    [InlineData("search=%00", 400, "The query string holds characters no field accepts (a NUL character).")]
    [InlineData("created_by__username=a%00b", 400, "The query string holds characters no field accepts (a NUL character).")]
    [InlineData("name=Jos%E9", 400, "The query string holds text that is not valid UTF-8.")]
    [InlineData("search=LONG", 414, "The query string is longer than 8 KB.")]
    public async Task A_query_string_no_database_could_search_for_is_refused_before_the_list_is_read(string query, int status, string detail)
    {
        using var client = app.ApiClient();
        var response = await client.GetAsync($"{List}?{query.Replace("LONG", new string('s', 9000))}");
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal($$"""{"detail":"{{detail}}"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Lists_invitations_in_authentiks_shape()
    {
        var p = ApiJsonClient.Unique("shape");
        var flow = await app.FlowAsync($"{p}-flow");
        var ann = await app.AddUserAsync($"{p}-ann", u => u.Name = "Ann Example");
        var bound = await app.AddInvitationAsync($"{p}-bound", Jan1, flow, ann, singleUse: true, new JsonObject { ["email"] = "x@example.com", ["attributes"] = new JsonObject { ["team"] = "ops" } });
        var open = await app.AddInvitationAsync($"{p}-open");
        using var client = app.ApiClient();

        var page = await client.GetJsonAsync($"{List}?search={p}");
        Assert.Equal(["pagination", "results", "autocomplete"], page.Keys());
        Assert.Equal("""{"next":0,"previous":0,"count":2,"current":1,"total_pages":1,"start_index":1,"end_index":2}""", page["pagination"]!.ToJsonString());
        Assert.Equal([$"{p}-open", $"{p}-bound"], page.Strings("name")); // -expires: never-expiring first

        var first = page.Results()[1]!;
        Assert.Equal(["pk", "name", "expires", "fixed_data", "created_by", "single_use", "flow", "flow_obj", "groups", "email", "email_domains", "max_uses", "uses", "last_used", "opens", "status"], first.Keys());
        Assert.Equal(bound.Id.ToString(), (string?)first["pk"]);
        Assert.Equal("2031-01-01T12:00:00Z", (string?)first["expires"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"email":"x@example.com","attributes":{"team":"ops"}}"""), first["fixed_data"]), first["fixed_data"]!.ToJsonString());
        Assert.Equal(["pk", "username", "name", "is_active", "last_login", "email", "attributes", "uid"], first["created_by"].Keys());
        Assert.Equal(ann.Id, (int)first["created_by"]!["pk"]!);
        Assert.Equal($"{p}-ann", (string?)first["created_by"]!["username"]);
        Assert.Equal("Ann Example", (string?)first["created_by"]!["name"]);
        Assert.True((bool)first["single_use"]!);
        Assert.Equal(flow.Id.ToString(), (string?)first["flow"]);
        Assert.Equal(flow.Id.ToString(), (string?)first["flow_obj"]!["pk"]);
        Assert.Equal($"{p}-flow", (string?)first["flow_obj"]!["slug"]);
        Assert.Equal($"Title of {p}-flow", (string?)first["flow_obj"]!["title"]);
        Assert.Equal("enrollment", (string?)first["flow_obj"]!["designation"]);

        var second = page.Results()[0]!;
        Assert.Equal(open.Id.ToString(), (string?)second["pk"]);
        Assert.Null(second["expires"]);
        // Made without a user (a blueprint, the system): authentik's AnonymousUser, never null.
        Assert.Equal("AnonymousUser", (string?)second["created_by"]!["username"]);
        var anonymous = await app.DbAsync(db => db.Users.SingleAsync(u => u.UserName == "AnonymousUser"));
        Assert.Equal(anonymous.Id, (int)second["created_by"]!["pk"]!);
        Assert.False(anonymous.IsActive);
        Assert.Null(anonymous.PasswordHash); // nobody signs in as it
        Assert.Equal([$"{p}-open"], (await client.GetJsonAsync($"{List}?search={p}&created_by__username=AnonymousUser")).Strings("name"));
        Assert.Null(second["flow"]);
        Assert.Null(second["flow_obj"]);
        Assert.False((bool)second["single_use"]!);
        Assert.Equal("{}", second["fixed_data"]!.ToJsonString());
        Assert.Equal(["pk", "name", "expires", "fixed_data", "created_by", "single_use", "flow", "flow_obj", "groups", "email", "email_domains", "max_uses", "uses", "last_used", "opens", "status"], second.Keys()); // nulls written out
    }

    [Fact]
    public async Task Filters_by_name_creator_flow_slug_and_exact_expiry()
    {
        var p = ApiJsonClient.Unique("flt");
        var flowA = await app.FlowAsync($"{p}-fa");
        var flowB = await app.FlowAsync($"{p}-fb");
        var ann = await app.AddUserAsync($"{p}-ann");
        var ben = await app.AddUserAsync($"{p}-ben");
        await app.AddInvitationAsync($"{p}-a", Jan1, flowA, ann);
        await app.AddInvitationAsync($"{p}-b", Jan1.AddHours(1), flowB, ben);
        await app.AddInvitationAsync($"{p}-c", null, flowA, ben);
        using var client = app.ApiClient();

        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{List}?name={p}-b")).Strings("name"));
        Assert.Empty((await client.GetJsonAsync($"{List}?name={p}")).Results()); // exact, not contains
        Assert.Equal([$"{p}-a"], (await client.GetJsonAsync($"{List}?created_by__username={p}-ann")).Strings("name"));
        Assert.Equal([$"{p}-c", $"{p}-b"], (await client.GetJsonAsync($"{List}?created_by__username={p}-ben")).Strings("name"));
        Assert.Equal([$"{p}-c", $"{p}-a"], (await client.GetJsonAsync($"{List}?flow__slug={p}-fa")).Strings("name"));
        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{List}?flow__slug={p}-fb&created_by__username={p}-ben")).Strings("name"));
        Assert.Empty((await client.GetJsonAsync($"{List}?flow__slug={p}-fa&created_by__username={p}-nobody")).Results());

        // expires: django-filter's exact match on the instant, with Z or an offset (+ sent as %2B).
        Assert.Equal([$"{p}-a"], (await client.GetJsonAsync($"{List}?search={p}&expires=2031-01-01T12:00:00Z")).Strings("name"));
        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{List}?search={p}&expires=2031-01-01T15:00:00%2B02:00")).Strings("name"));
        Assert.Empty((await client.GetJsonAsync($"{List}?search={p}&expires=2031-01-01T12:00:01Z")).Results());
        Assert.Equal([$"{p}-a"], (await client.GetJsonAsync($"{List}?search={p.ToUpperInvariant()}-A")).Strings("name")); // search: any case
    }

    [Fact]
    public async Task A_bad_expiry_filter_or_page_is_a_400()
    {
        using var client = app.ApiClient();
        Assert.Equal("""{"expires":["Enter a valid date/time."]}""", (await client.GetJsonAsync($"{List}?expires=tomorrow", HttpStatusCode.BadRequest)).ToJsonString());
        Assert.Equal(["expires"], (await client.GetJsonAsync($"{List}?expires=2031-01-01T12:00:00", HttpStatusCode.BadRequest)).Keys()); // no time zone
        Assert.Equal(["page"], (await client.GetJsonAsync($"{List}?page=zero", HttpStatusCode.BadRequest)).Keys());
    }

    [Fact]
    public async Task Orders_by_expiry_descending_by_default_and_by_any_allowed_field()
    {
        var p = ApiJsonClient.Unique("ord");
        await app.AddInvitationAsync($"{p}-c", Jan1);
        await app.AddInvitationAsync($"{p}-a", Jan1.AddDays(2), singleUse: true);
        await app.AddInvitationAsync($"{p}-d", null);
        await app.AddInvitationAsync($"{p}-b", Jan1.AddDays(1));
        using var client = app.ApiClient();

        Assert.Equal([$"{p}-d", $"{p}-a", $"{p}-b", $"{p}-c"], (await client.GetJsonAsync($"{List}?search={p}")).Strings("name"));
        Assert.Equal([$"{p}-c", $"{p}-b", $"{p}-a", $"{p}-d"], (await client.GetJsonAsync($"{List}?search={p}&ordering=expires")).Strings("name"));
        Assert.Equal([$"{p}-a", $"{p}-b", $"{p}-c", $"{p}-d"], (await client.GetJsonAsync($"{List}?search={p}&ordering=name")).Strings("name"));
        Assert.Equal([$"{p}-d", $"{p}-c", $"{p}-b", $"{p}-a"], (await client.GetJsonAsync($"{List}?search={p}&ordering=-name")).Strings("name"));
        Assert.Equal([$"{p}-a", $"{p}-b", $"{p}-c", $"{p}-d"], (await client.GetJsonAsync($"{List}?search={p}&ordering=-single_use,name")).Strings("name"));
        Assert.Equal([$"{p}-d", $"{p}-a", $"{p}-b", $"{p}-c"], (await client.GetJsonAsync($"{List}?search={p}&ordering=bogus")).Strings("name")); // unknown: default
    }

    [Fact]
    public async Task Pages_twenty_at_a_time_by_default()
    {
        var p = ApiJsonClient.Unique("many");
        for (var i = 0; i < 21; i++) await app.AddInvitationAsync($"{p}-{i:00}");
        using var client = app.ApiClient();

        var first = await client.GetJsonAsync($"{List}?search={p}&ordering=name");
        Assert.Equal(20, first.Results().Count);
        Assert.Equal("""{"next":2,"previous":0,"count":21,"current":1,"total_pages":2,"start_index":1,"end_index":20}""", first["pagination"]!.ToJsonString());
        var second = await client.GetJsonAsync($"{List}?search={p}&ordering=name&page=2");
        Assert.Equal([$"{p}-20"], second.Strings("name"));
        Assert.Equal("""{"next":0,"previous":1,"count":21,"current":2,"total_pages":2,"start_index":21,"end_index":21}""", second["pagination"]!.ToJsonString());
        Assert.Equal([$"{p}-04", $"{p}-05"], (await client.GetJsonAsync($"{List}?search={p}&ordering=name&page=3&page_size=2")).Strings("name"));
        Assert.Equal("""{"detail":"Invalid page."}""", (await client.GetJsonAsync($"{List}?search={p}&page=3", HttpStatusCode.NotFound)).ToJsonString());
    }
}
