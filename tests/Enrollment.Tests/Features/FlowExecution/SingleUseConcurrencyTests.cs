using System.Diagnostics;
using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// One single-use invitation, fifty invitees at once: every one of them passed the invitation stage (opening the
/// link burns nothing), but the invitation is used up atomically when the user is written, so exactly one user is
/// created and the others read "already used". Runs on SQLite and on PostgreSQL (ENROLLMENT_TEST_DB=postgres).
/// </summary>
public sealed class SingleUseConcurrencyTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const int Invitees = 50;

    [Fact]
    public async Task Fifty_concurrent_enrollments_on_one_single_use_invitation_create_exactly_one_user()
    {
        var clock = Stopwatch.StartNew();
        var setup = await GuideFlowAsync(app, "race", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "race-once", singleUse: true);
        var link = setup.Link(invitation);
        var usersBefore = await UserCountAsync(app);
        var clients = Enumerable.Range(0, Invitees).Select(_ => app.NewClient()).ToList();
        try
        {
            // Everyone opens the link first: all hold a plan that has passed the invitation stage.
            var pages = new List<AngleSharp.Html.Dom.IHtmlDocument>();
            foreach (var client in clients) pages.Add(await client.GetPageAsync(link));
            Assert.Equal(Invitees, await app.DbAsync(db => db.FlowPlans.CountAsync(p => p.FlowId == setup.Flow.Id)));

            // All submit the prompt stage at once, with different usernames: all are valid, and each POST goes on to the
            // user write stage: it runs fifty times at once against one invitation.
            var start = new TaskCompletionSource();
            var posts = clients.Select(async (client, i) =>
            {
                await start.Task;
                var response = await client.SubmitAsync(link, pages[i], Answers($"racer-{i:D2}"));
                return (response.StatusCode, Location: response.Headers.Location?.OriginalString, Body: await response.Content.ReadAsStringAsync());
            }).ToList();
            start.SetResult();
            var results = await Task.WhenAll(posts);

            var winners = results.Where(r => r.StatusCode == HttpStatusCode.Redirect && r.Location == "/if/user/").ToList();
            var losers = results.Except(winners).ToList();
            Assert.Single(winners);
            foreach (var loser in losers)
            {
                Assert.True(loser.StatusCode == HttpStatusCode.OK, $"A losing invitee got {(int)loser.StatusCode}: {TestClient.Excerpt(loser.Body)}");
                var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(loser.Body);
                AssertDenied(page, InvitationMessages.Used);
            }

            Assert.Equal(usersBefore + 1, await UserCountAsync(app));
            Assert.Equal(1, await UsesAsync(app, invitation.Id));
            var racers = await app.DbAsync(db => db.Users.AsNoTracking().Include(u => u.Groups).Where(u => u.UserName!.StartsWith("racer-")).ToListAsync());
            var winner = Assert.Single(racers);
            await AssertUserAsync(app, winner.UserName!, $"Name of {winner.UserName}", $"{winner.UserName}@example.com", "users/internal", UserType.Internal, []);
            var used = await app.DbAsync(async db =>
                (await db.Events.AsNoTracking().Where(e => e.Action == "invitation_used" || e.Action == "user_write").ToListAsync())
                    .Count(e => (string?)e.Context["invitation"] == invitation.Id.ToString()));
            Assert.Equal(2, used); // one invitation_used, one user_write: the losers' events rolled back with them
            Assert.Equal(0, await app.DbAsync(db => db.FlowPlans.CountAsync(p => p.FlowId == setup.Flow.Id)));

            // The winner is signed in; a loser is not.
            var winnerIndex = int.Parse(winner.UserName!["racer-".Length..]);
            Assert.Contains(winner.UserName!, (await clients[winnerIndex].GetPageAsync("/if/user/")).QuerySelector("dl")!.TextContent);
            var anonymous = await clients[(winnerIndex + 1) % Invitees].Http.GetAsync("/if/user/");
            Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
            Assert.Contains("/if/login/", anonymous.Headers.Location!.OriginalString);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(50), $"The race took {clock.Elapsed}.");
    }

    /// <summary>
    /// Ten invitees of one multi-use invitation choose the same free username and finish at once (a confirmation
    /// stage between the prompts and the user write lets all pass the prompt stage's username check first), so the
    /// user write stage decides. One user is written; the others get a
    /// clear page (never a 500) and use nothing up.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Concurrent_enrollments_with_the_same_username_write_one_user_and_fail_cleanly_for_the_others(bool invited)
    {
        var slug = invited ? "race-name" : "race-name-open";
        var setup = await GuideFlowAsync(app, slug, UserType.Internal, "users/internal", continueWithoutInvitation: !invited);
        var invitation = await setup.InviteAsync(app, slug, singleUse: false);
        await BindPromptStageAsync(app, setup.Flow, "nickname", order: 15); // the confirmation stage
        var link = invited ? setup.Link(invitation) : FlowUrl(slug);
        var clients = Enumerable.Range(0, 10).Select(_ => app.NewClient()).ToList();
        try
        {
            // Everyone passes the prompt stage (the username is still free for all) and is shown the confirmation stage.
            var confirmations = new List<AngleSharp.Html.Dom.IHtmlDocument>();
            foreach (var client in clients)
            {
                var page = await client.GetPageAsync(link);
                (await client.SubmitAsync(link, page, Answers(invited ? "same-name" : "same-name-open"))).AssertRedirect(FlowUrl(slug));
                confirmations.Add(await client.GetPageAsync(FlowUrl(slug)));
            }
            // All confirm at once: each POST runs the user write stage with the same username.
            var go = new TaskCompletionSource();
            var finishes = clients.Select(async (client, i) =>
            {
                await go.Task;
                var response = await client.SubmitAsync(FlowUrl(slug), confirmations[i], ("nickname", $"nick{i}"));
                return (response.StatusCode, Location: response.Headers.Location?.OriginalString, Body: await response.Content.ReadAsStringAsync());
            }).ToList();
            go.SetResult();
            var results = await Task.WhenAll(finishes);

            Assert.Single(results, r => r.StatusCode == HttpStatusCode.Redirect && r.Location == "/if/user/");
            foreach (var loser in results.Where(r => r.Location != "/if/user/"))
            {
                Assert.True(loser.StatusCode == HttpStatusCode.OK, $"A losing invitee got {(int)loser.StatusCode}: {TestClient.Excerpt(loser.Body)}");
                Assert.Contains("already taken", Denial(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(loser.Body)));
            }
            Assert.Equal(invited ? 1 : 0, await UsesAsync(app, invitation.Id));
            var name = invited ? "same-name" : "same-name-open";
            await AssertUserAsync(app, name, $"Name of {name}", $"{name}@example.com", "users/internal", UserType.Internal, []);
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }
}
