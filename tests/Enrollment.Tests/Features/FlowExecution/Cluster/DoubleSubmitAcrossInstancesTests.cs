using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Infrastructure.Cluster;
using Microsoft.EntityFrameworkCore;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.FlowExecution.Cluster;

/// <summary>
/// One browser submits the prompt stage twice at the same moment, and the two requests reach two instances (no sticky
/// sessions), so the in-process plan lock never sees them together: the database decides. One user is written; the
/// other answer sends the same browser to where the first went (the user page), never a 500 or "already used".
/// </summary>
public sealed class DoubleSubmitAcrossInstancesTests
{
    private const string Flow = "invitation-enrollment";
    private const string Password = "Enroll-Tulip-Glacier-58!";
    /// <summary>SubmitStepHandler.Expired (internal to the app), as the invitee reads it.</summary>
    private const string Expired = "This sign-up session has ended or expired. Open your invitation link again to start over.";

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_same_submission_on_two_instances_at_once_writes_one_user_and_both_answers_lead_to_the_user_page(bool singleUse)
    {
        Skip.IfNot(TestDatabase.IsPostgres, TwoInstances.PostgresOnly);
        await using var cluster = TwoInstances.Start();
        for (var round = 0; round < 4; round++)
        {
            var username = $"twice-{singleUse}-{round}".ToLowerInvariant();
            var invitation = new Invitation { Name = $"twice-{singleUse}-{round}".ToLowerInvariant(), SingleUse = singleUse };
            await cluster.A.DbAsync(async db =>
            {
                invitation.FlowId = await db.Flows.Where(f => f.Slug == Flow).Select(f => f.Id).SingleAsync();
                db.Invitations.Add(invitation);
                await db.SaveChangesAsync();
            });
            var cookies = new CookieContainer();
            using var onA = TwoInstances.Browser(cookies, cluster.A);
            using var onB = TwoInstances.Browser(cookies, cluster.B);
            var link = $"/if/flow/{Flow}/?itoken={invitation.Id}";
            var page = await onA.GetPageAsync(link);

            var go = new TaskCompletionSource();
            var answers = new[] { onA, onB }.Select(async client =>
            {
                await go.Task;
                var response = await client.Http.PostAsync(link, Form(page, username));
                return (client, response, Body: await response.Content.ReadAsStringAsync());
            }).ToList();
            go.SetResult();
            var results = await Task.WhenAll(answers);

            Assert.Equal(1, await cluster.B.DbAsync(db => db.Users.CountAsync(u => u.UserName == username)));
            Assert.Equal(1, await cluster.B.DbAsync(db => db.Invitations.Where(i => i.Id == invitation.Id).Select(i => i.Uses).SingleAsync()));
            Assert.Contains(results, r => r.response.StatusCode == HttpStatusCode.Redirect && r.response.Headers.Location!.OriginalString == "/if/user/");
            foreach (var (client, response, body) in results)
            {
                if (response.StatusCode == HttpStatusCode.Redirect)
                {
                    // Followed as the browser would, on the instance that answered: it ends on the user page, signed in.
                    var landed = await FollowAsync(client, response.Headers.Location!.OriginalString);
                    Assert.Equal(username, landed.QuerySelector(".whoami strong")?.TextContent.Trim());
                    continue;
                }
                // The other request had finished before this one read the plan: the plan is gone, and that is what it
                // says — never a 500, never "already used" or "already taken" for the browser's own submission.
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"Round {round}: got {(int)response.StatusCode}: {TestClient.Excerpt(body)}");
                var denied = (await TestClient.ParseAsync(response)).QuerySelector(".denied")?.TextContent ?? "";
                Assert.True(denied.Contains(Expired), $"Round {round}: expected the session-ended page, got: {(await TestClient.ParseAsync(response)).QuerySelector("main")?.TextContent.Trim()}");
            }
        }
    }

    private static FormUrlEncodedContent Form(IHtmlDocument page, string username) => new(new Dictionary<string, string>
    {
        ["username"] = username, ["name"] = $"Name of {username}", ["email"] = $"{username}@example.com",
        ["password"] = Password, ["password_repeat"] = Password,
        ["stage"] = page.QuerySelector("#flow-card form input[name=stage]")!.GetAttribute("value")!,
        ["__RequestVerificationToken"] = TestClient.AntiforgeryToken(page),
    });

    private static async Task<IHtmlDocument> FollowAsync(TestClient client, string location)
    {
        for (var hops = 0; hops < 5; hops++)
        {
            var response = await client.Http.GetAsync(location);
            if (response.StatusCode != HttpStatusCode.Redirect) return await TestClient.ParseAsync(response);
            location = response.Headers.Location!.OriginalString;
        }
        throw new Xunit.Sdk.XunitException("Too many redirects from " + location);
    }
}
