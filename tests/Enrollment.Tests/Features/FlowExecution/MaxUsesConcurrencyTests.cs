using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// One invitation admitting three, thirty invitees at once: all pass the invitation stage, the use is counted by one
/// conditional update at the user write (fewer uses than it admits), so exactly three users are written, each with
/// its record of use, and the rest read "already used". The invitation stays, used up. Runs on SQLite and on
/// PostgreSQL (ENROLLMENT_TEST_DB=postgres).
/// </summary>
public sealed class MaxUsesConcurrencyTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const int Invitees = 30;
    private const int MaxUses = 3;

    [Fact]
    public async Task Thirty_concurrent_enrollments_on_an_invitation_admitting_three_write_exactly_three_users()
    {
        var setup = await GuideFlowAsync(app, "race-three", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "race-three", singleUse: false);
        await app.DbAsync(db => db.Invitations.Where(i => i.Id == invitation.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.MaxUses, MaxUses)));
        var link = setup.Link(invitation);
        var usersBefore = await UserCountAsync(app);
        var clients = Enumerable.Range(0, Invitees).Select(_ => app.NewClient()).ToList();
        try
        {
            var pages = new List<AngleSharp.Html.Dom.IHtmlDocument>();
            foreach (var client in clients) pages.Add(await client.GetPageAsync(link));

            var start = new TaskCompletionSource();
            var posts = clients.Select(async (client, i) =>
            {
                await start.Task;
                var response = await client.SubmitAsync(link, pages[i], Answers($"three-{i:D2}"));
                return (response.StatusCode, Location: response.Headers.Location?.OriginalString, Body: await response.Content.ReadAsStringAsync());
            }).ToList();
            start.SetResult();
            var results = await Task.WhenAll(posts);

            var winners = results.Where(r => r.StatusCode == HttpStatusCode.Redirect && r.Location == "/if/user/").ToList();
            Assert.Equal(MaxUses, winners.Count);
            foreach (var loser in results.Except(winners))
            {
                Assert.True(loser.StatusCode == HttpStatusCode.OK, $"A losing invitee got {(int)loser.StatusCode}: {TestClient.Excerpt(loser.Body)}");
                AssertDenied(new AngleSharp.Html.Parser.HtmlParser().ParseDocument(loser.Body), InvitationMessages.Used);
            }

            Assert.Equal(usersBefore + MaxUses, await UserCountAsync(app));
            var written = await app.DbAsync(db => db.Users.AsNoTracking().Where(u => u.UserName!.StartsWith("three-")).Select(u => u.Id).OrderBy(i => i).ToListAsync());
            Assert.Equal(MaxUses, written.Count);
            var stored = await app.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == invitation.Id)); // kept, not deleted
            Assert.Equal((MaxUses, (int?)MaxUses, Invitees), (stored.Uses, stored.MaxUses, stored.Opens));
            Assert.Equal(InvitationStatus.UsedUp, stored.StatusAt(DateTime.UtcNow));
            Assert.NotNull(stored.LastUsed);

            // One record per written user, in the same transactions: the losers left none.
            var uses = await app.DbAsync(db => db.InvitationUses.AsNoTracking().Where(u => u.InvitationId == invitation.Id).ToListAsync());
            Assert.Equal(written, uses.Select(u => u.UserId!.Value).OrderBy(i => i).ToList());
            Assert.All(uses, u => Assert.Equal(setup.Flow.Id, u.FlowId));

            // invitation_used says how many uses the invitation has had of how many, once per winner.
            var events = await app.DbAsync(async db => (await db.Events.AsNoTracking().Where(e => e.Action == "invitation_used").ToListAsync())
                .Where(e => (string?)e.Context["invitation"] == invitation.Id.ToString()).ToList());
            Assert.Equal([1, 2, 3], events.Select(e => (int)e.Context["uses"]!).Order().ToList());
            Assert.All(events, e => Assert.Equal(MaxUses, (int)e.Context["max_uses"]!));
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }
}
