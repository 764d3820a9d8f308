using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Api.Invitations.InvitationsApiClient;
using DeleteUser = Enrollment.Features.Users.DeleteUser.DeleteUser;

namespace Enrollment.Tests.Features.Api.Invitations;

/// <summary>
/// Ours on the invitations API: <c>max_uses</c> and its agreement with authentik's <c>single_use</c>, the read-only
/// <c>uses</c>, <c>last_used</c>, <c>opens</c> and <c>status</c>, the <c>?status=</c> filter, and
/// <c>GET …/{pk}/uses/</c>, the record of each enrollment.
/// </summary>
[Collection(WriteInvitationsApiCollection.Name)]
public sealed class InvitationUsesApiTests(Hosts.Default app)
{
    [Theory]
    // body → max_uses written, single_use read back
    [InlineData("""{"single_use":true}""", 1, true)]
    [InlineData("""{"single_use":false}""", null, false)]
    [InlineData("""{}""", null, false)]
    [InlineData("""{"max_uses":1}""", 1, true)]
    [InlineData("""{"max_uses":5}""", 5, false)]
    [InlineData("""{"max_uses":"7"}""", 7, false)]
    [InlineData("""{"max_uses":null}""", null, false)]
    [InlineData("""{"max_uses":5,"single_use":false}""", 5, false)]
    [InlineData("""{"max_uses":1,"single_use":true}""", 1, true)]
    [InlineData("""{"max_uses":null,"single_use":false}""", null, false)]
    public async Task Max_uses_and_single_use_are_one_setting_on_create(string fields, int? maxUses, bool singleUse)
    {
        using var api = app.ApiClient();
        var body = JsonNode.Parse(fields)!.AsObject();
        body["name"] = ApiJsonClient.Unique("mu");
        var created = await api.SendJsonAsync(HttpMethod.Post, List, body.ToJsonString(), HttpStatusCode.Created);
        Assert.Equal((maxUses, singleUse), ((int?)created["max_uses"], (bool)created["single_use"]!));
        Assert.Equal((0, null, 0, "active"), ((int)created["uses"]!, (string?)created["last_used"], (int)created["opens"]!, (string?)created["status"]));
        var saved = await app.FindInvitationAsync(Guid.Parse((string)created["pk"]!));
        Assert.Equal((maxUses, singleUse), (saved!.MaxUses, saved.SingleUse));
    }

    [Theory]
    // stored max_uses, PATCH body → max_uses after
    [InlineData(5, """{"single_use":true}""", 1)]
    [InlineData(1, """{"single_use":false}""", null)]
    [InlineData(5, """{"single_use":false}""", 5)] // a client that knows only single_use and writes back what it read
    [InlineData(null, """{"single_use":false}""", null)]
    [InlineData(1, """{"max_uses":4}""", 4)]
    [InlineData(4, """{"max_uses":null}""", null)]
    [InlineData(4, """{"name":"renamed"}""", 4)]
    public async Task Patching_single_use_or_max_uses_keeps_both_consistent(int? before, string patch, int? after)
    {
        using var api = app.ApiClient();
        var invitation = await app.AddInvitationAsync(ApiJsonClient.Unique("mp"));
        await app.DbAsync(db => db.Invitations.Where(i => i.Id == invitation.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.MaxUses, before)));
        var body = await api.SendJsonAsync(HttpMethod.Patch, $"{List}{invitation.Id}/", patch.Replace("renamed", ApiJsonClient.Unique("renamed")), HttpStatusCode.OK);
        Assert.Equal((after, after == 1), ((int?)body["max_uses"], (bool)body["single_use"]!));
        Assert.Equal(after, (await app.FindInvitationAsync(invitation.Id))!.MaxUses);
    }

    [Theory]
    [InlineData("""{"max_uses":0}""", """{"max_uses":["Ensure this value is greater than or equal to 1."]}""")]
    [InlineData("""{"max_uses":-3}""", """{"max_uses":["Ensure this value is greater than or equal to 1."]}""")]
    [InlineData("""{"max_uses":2.5}""", """{"max_uses":["A valid integer is required."]}""")]
    [InlineData("""{"max_uses":"many"}""", """{"max_uses":["A valid integer is required."]}""")]
    [InlineData("""{"max_uses":true}""", """{"max_uses":["A valid integer is required."]}""")]
    [InlineData("""{"max_uses":99999999999}""", """{"max_uses":["A valid integer is required."]}""")]
    [InlineData("""{"max_uses":5,"single_use":true}""", """{"single_use":["Single use is the same as max uses 1; these two values contradict each other."]}""")]
    [InlineData("""{"max_uses":1,"single_use":false}""", """{"single_use":["Single use is the same as max uses 1; these two values contradict each other."]}""")]
    public async Task A_bad_max_uses_is_a_400_naming_it_and_nothing_is_written(string fields, string expected)
    {
        using var api = app.ApiClient();
        var invitation = await app.AddInvitationAsync(ApiJsonClient.Unique("mb"));
        var count = await app.DbAsync(db => db.Invitations.CountAsync());
        var body = JsonNode.Parse(fields)!.AsObject();
        body["name"] = ApiJsonClient.Unique("mb");

        var created = await api.SendJsonAsync(HttpMethod.Post, List, body.ToJsonString(), HttpStatusCode.BadRequest);
        Assert.Equal(expected, created.ToJsonString());
        var patched = await api.SendJsonAsync(HttpMethod.Patch, $"{List}{invitation.Id}/", fields, HttpStatusCode.BadRequest);
        Assert.Equal(expected, patched.ToJsonString());

        Assert.Equal(count, await app.DbAsync(db => db.Invitations.CountAsync()));
        Assert.Null((await app.FindInvitationAsync(invitation.Id))!.MaxUses);
    }

    [Theory]
    // stored max_uses, PATCH body → the 400's body, or null when accepted (3 uses made)
    [InlineData(5, """{"max_uses":2}""", """{"max_uses":["This invitation has already been used 3 times; max uses cannot be lower than 3 (3 admits nobody more)."]}""")]
    [InlineData(5, """{"single_use":true}""", """{"single_use":["This invitation has already been used 3 times; max uses cannot be lower than 3 (3 admits nobody more)."]}""")]
    [InlineData(5, """{"max_uses":3}""", null)] // closes it
    [InlineData(2, """{"name":"renamed"}""", null)] // a limit already below, left alone, does not block other changes
    public async Task Patching_max_uses_below_the_uses_made_is_a_400_naming_it(int before, string patch, string? refusal)
    {
        using var api = app.ApiClient();
        var invitation = await app.AddInvitationAsync(ApiJsonClient.Unique("mbu"));
        await app.DbAsync(db => db.Invitations.Where(i => i.Id == invitation.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.MaxUses, before).SetProperty(i => i.Uses, 3)));
        var body = await api.SendJsonAsync(HttpMethod.Patch, $"{List}{invitation.Id}/", patch.Replace("renamed", ApiJsonClient.Unique("renamed")),
            refusal is null ? HttpStatusCode.OK : HttpStatusCode.BadRequest);
        if (refusal is null) return;
        Assert.Equal(refusal, body.ToJsonString());
        Assert.Equal(before, (await app.FindInvitationAsync(invitation.Id))!.MaxUses);
    }

    [Fact]
    public async Task The_status_filter_lists_active_expired_and_used_up_invitations_and_refuses_other_values()
    {
        var p = ApiJsonClient.Unique("st");
        var now = DateTime.UtcNow;
        var active = await app.AddInvitationAsync($"{p}-active", expires: now.AddDays(1));
        var expired = await app.AddInvitationAsync($"{p}-expired", expires: now.AddDays(-1));
        var usedUp = await app.AddInvitationAsync($"{p}-usedup");
        var both = await app.AddInvitationAsync($"{p}-both", expires: now.AddDays(-1));
        var partly = await app.AddInvitationAsync($"{p}-partly");
        await app.DbAsync(db => db.Invitations.Where(i => i.Id == usedUp.Id || i.Id == both.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.MaxUses, 2).SetProperty(i => i.Uses, 2)));
        await app.DbAsync(db => db.Invitations.Where(i => i.Id == partly.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.MaxUses, 3).SetProperty(i => i.Uses, 2)));
        using var api = app.ApiClient();

        async Task<List<string>> Names(string status)
        {
            var page = await api.SendJsonAsync(HttpMethod.Get, $"{List}?search={p}&status={status}&ordering=name", null, HttpStatusCode.OK);
            return page["results"]!.AsArray().Select(r => ((string)r!["name"]!)[(p.Length + 1)..] + ":" + (string)r["status"]!).ToList();
        }

        Assert.Equal(["active:active", "partly:active"], await Names("active"));
        Assert.Equal(["expired:expired"], await Names("expired"));
        Assert.Equal(["both:used_up", "usedup:used_up"], await Names("used_up")); // used up stays used up past its expiry
        Assert.Equal(5, (await Names("")).Count);

        var bad = await api.SendJsonAsync(HttpMethod.Get, $"{List}?status=gone", null, HttpStatusCode.BadRequest);
        Assert.Equal("""{"status":["Select a valid choice. gone is not one of the available choices."]}""", bad.ToJsonString());
        var retrieved = await api.SendJsonAsync(HttpMethod.Get, $"{List}{usedUp.Id}/", null, HttpStatusCode.OK);
        Assert.Equal(("used_up", 2, 2), ((string?)retrieved["status"], (int)retrieved["uses"]!, (int)retrieved["max_uses"]!));
    }

    [Fact]
    public async Task Each_enrollment_is_listed_under_uses_with_its_user_time_address_and_flow()
    {
        var slug = ApiJsonClient.Unique("uses");
        var setup = await FlowKit.GuideFlowAsync(app, slug);
        var invitation = await setup.InviteAsync(app, slug, singleUse: false);
        foreach (var name in new[] { $"{slug}-a", $"{slug}-b" })
        {
            using var browser = app.NewClient();
            var page = await browser.GetPageAsync(setup.Link(invitation));
            (await browser.SubmitAsync(setup.Link(invitation), page, FlowKit.Answers(name))).AssertRedirect("/if/user/");
        }
        using var api = app.ApiClient();

        var uses = await api.SendJsonAsync(HttpMethod.Get, $"{List}{invitation.Id}/uses/", null, HttpStatusCode.OK);
        Assert.Equal(["pagination", "results", "autocomplete"], uses.Keys());
        Assert.Equal(2, (int)uses["pagination"]!["count"]!);
        var results = uses["results"]!.AsArray();
        Assert.Equal([$"{slug}-b", $"{slug}-a"], results.Select(r => (string)r!["user"]!["username"]!).ToList()); // newest first
        var first = results[1]!;
        Assert.Equal(["pk", "user", "created", "client_ip", "flow"], first.Keys());
        Assert.Equal(["pk", "username", "name", "email"], first["user"].Keys());
        Assert.Equal(($"Name of {slug}-a", $"{slug}-a@example.com"), ((string?)first["user"]!["name"], (string?)first["user"]!["email"]));
        Assert.Equal(setup.Flow.Id.ToString(), (string?)first["flow"]);
        Assert.True(DateTime.UtcNow - DateTime.Parse((string)first["created"]!).ToUniversalTime() < TimeSpan.FromMinutes(5));
        Assert.Contains("client_ip", first.AsObject().Select(p => p.Key));

        var retrieved = await api.SendJsonAsync(HttpMethod.Get, $"{List}{invitation.Id}/", null, HttpStatusCode.OK);
        Assert.Equal((2, 2, "active"), ((int)retrieved["uses"]!, (int)retrieved["opens"]!, (string?)retrieved["status"]));
        Assert.NotNull((string?)retrieved["last_used"]);

        // Pages like every list; a bad page size is a 400.
        var paged = await api.SendJsonAsync(HttpMethod.Get, $"{List}{invitation.Id}/uses/?page_size=1&page=2", null, HttpStatusCode.OK);
        Assert.Equal($"{slug}-a", (string?)paged["results"]![0]!["user"]!["username"]);
        await api.SendJsonAsync(HttpMethod.Get, $"{List}{invitation.Id}/uses/?page_size=x", null, HttpStatusCode.BadRequest);

        // A deleted user leaves the use, without its user.
        var userA = await app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == $"{slug}-a"));
        var admin = await app.AdminAsync();
        Assert.True((await app.SendAsync(new DeleteUser.Command(userA.Id, admin.Id)))!.Succeeded);
        var afterDelete = await api.SendJsonAsync(HttpMethod.Get, $"{List}{invitation.Id}/uses/", null, HttpStatusCode.OK);
        Assert.Equal(2, afterDelete["results"]!.AsArray().Count);
        Assert.Null(afterDelete["results"]![1]!["user"]);

        // Deleting the invitation deletes its uses; an unknown invitation is a 404.
        await api.SendJsonAsync(HttpMethod.Delete, $"{List}{invitation.Id}/", null, HttpStatusCode.NoContent);
        Assert.Equal(0, await app.DbAsync(db => db.InvitationUses.CountAsync(u => u.InvitationId == invitation.Id)));
        await api.SendJsonAsync(HttpMethod.Get, $"{List}{invitation.Id}/uses/", null, HttpStatusCode.NotFound);
    }
}
