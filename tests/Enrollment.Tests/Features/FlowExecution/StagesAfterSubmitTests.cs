using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// A valid POST runs the stages without a form that follow it (user write, user login) before it answers, and sends
/// the browser to the next stage with a form or to where the flow ends; requests of one browser that arrive
/// meanwhile wait for it instead of running those stages a second time.
/// </summary>
public sealed class StagesAfterSubmitTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task The_post_runs_the_user_write_and_stops_at_the_next_stage_with_a_form()
    {
        var setup = await GuideFlowAsync(app, "after-form", UserType.Internal, "users/internal");
        await BindPromptStageAsync(app, setup.Flow, "nickname", order: 25); // between user write (20) and user login (30)
        var invitation = await setup.InviteAsync(app, "after-form");
        using var client = app.NewClient();

        var page = await client.GetPageAsync(setup.Link(invitation));
        var posted = await client.SubmitAsync(setup.Link(invitation), page, Answers("after-form"));
        posted.AssertRedirect(FlowUrl("after-form")); // to the GET of the nickname stage

        // Written by that POST, before the nickname stage was shown; not signed in yet.
        Assert.NotNull(await UserAsync(app, "after-form"));
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
        Assert.Equal(0, await EventsAsync("login", e => (string?)e.User["username"] == "after-form"));
        var nickname = await client.GetPageAsync(FlowUrl("after-form"));
        Assert.NotNull(nickname.QuerySelector("#flow-card input[name=nickname]"));
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/if/user/")).StatusCode); // to the login page

        (await client.SubmitAsync(FlowUrl("after-form"), nickname, ("nickname", "Nick"))).AssertRedirect("/if/user/");
        Assert.Contains("after-form", (await client.GetPageAsync("/if/user/")).QuerySelector("dl")!.TextContent);
        Assert.Equal(1, await app.DbAsync(db => db.Users.CountAsync(u => u.UserName == "after-form")));
    }

    [Fact]
    public async Task A_double_submit_enrolls_once_and_both_answers_lead_to_the_user_page()
    {
        var setup = await GuideFlowAsync(app, "after-double", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "after-double", singleUse: false);
        using var client = app.NewClient(); // one browser: both submissions carry its cookies

        var page = await client.GetPageAsync(setup.Link(invitation));
        var answers = await WhileTheInvitationIsLockedAsync(invitation, TimeSpan.FromMilliseconds(500), () =>
            // An impatient invitee clicks four times; the first submission stalls in the user write stage meanwhile.
            Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.SubmitAsync(setup.Link(invitation), page, Answers("double-click")))));

        // The others waited for the first, found the flow finished and went where it went; without waiting they would
        // have run the user write stage beside it and shown "username already taken".
        foreach (var answer in answers) answer.AssertRedirect("/if/user/");
        Assert.Equal(1, await app.DbAsync(db => db.Users.CountAsync(u => u.UserName == "double-click")));
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
        Assert.Equal(1, await EventsAsync("user_write", e => (string?)e.Context["invitation"] == invitation.Id.ToString()));
        Assert.Contains("double-click", (await client.GetPageAsync("/if/user/")).QuerySelector("dl")!.TextContent);
    }

    [Fact]
    public async Task A_refresh_while_the_post_runs_never_runs_the_user_write_again()
    {
        var setup = await GuideFlowAsync(app, "after-refresh", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "after-refresh");
        using var client = app.NewClient();

        var page = await client.GetPageAsync(setup.Link(invitation));
        var post = client.SubmitAsync(setup.Link(invitation), page, Answers("refresher"));
        var refresh = client.Http.GetAsync(FlowUrl("after-refresh"));
        var (posted, refreshed) = (await post, await refresh);

        posted.AssertRedirect("/if/user/");
        // Before the POST took the plan, the refresh shows the prompt stage; after, it goes where the flow ended.
        // Never the user write stage's denial for a single-use invitation it would meet a second time.
        if (refreshed.StatusCode == HttpStatusCode.Redirect) refreshed.AssertRedirect("/if/user/");
        else Assert.NotNull((await PageOf(refreshed)).QuerySelector("#flow-card input[name=username]"));
        Assert.Equal(1, await app.DbAsync(db => db.Users.CountAsync(u => u.UserName == "refresher")));
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
    }

    /// <summary>Runs <paramref name="work"/> while another transaction holds the invitation's row for <paramref name="hold"/>.</summary>
    private async Task<T> WhileTheInvitationIsLockedAsync<T>(Invitation invitation, TimeSpan hold, Func<Task<T>> work)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Enrollment.Infrastructure.Data.AppDbContext>();
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx = null!;
        // Inside the execution strategy: PostgreSQL's retrying strategy refuses a transaction opened outside it.
        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            tx = await db.Database.BeginTransactionAsync();
            await db.Invitations.Where(i => i.Id == invitation.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Name, i => i.Name));
        });
        var running = work();
        await Task.Delay(hold);
        await tx.CommitAsync();
        await tx.DisposeAsync();
        return await running;
    }

    private Task<int> EventsAsync(string action, Func<Event, bool> which) =>
        app.DbAsync(async db => (await db.Events.AsNoTracking().Where(e => e.Action == action).ToListAsync()).Count(which));
}
