using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Tests.Kit;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>A flow in progress lives in the database: it goes on across server processes and across a restart.</summary>
public sealed class SharedDatabaseTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task A_flow_started_on_one_server_is_submitted_and_finished_on_another_whose_session_both_recognise()
    {
        var setup = await GuideFlowAsync(app, "shared-two", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "shared-two", fixedData: new() { ["email"] = "two@example.com" });
        var cookies = new CookieContainer(); // one browser, talking to two servers behind a load balancer
        using var toFirst = app.ClientWithCookies(cookies);
        var page = await toFirst.GetPageAsync(setup.Link(invitation));

        await using var second = new Hosts.SharingDatabaseWith(app);
        using var toSecond = second.ClientWithCookies(cookies);
        Assert.Equal(app.Services.GetRequiredService<DatabaseSettings>(), second.Services.GetRequiredService<DatabaseSettings>());
        // The second server knows the plan: it shows the same stage, pre-filled from the invitation checked by the first.
        var onSecond = await toSecond.GetPageAsync(FlowUrl("shared-two"));
        Assert.Equal(StageId(page), StageId(onSecond));
        Assert.Equal("two@example.com", InputValue(onSecond, "email"));
        // The form the first server rendered (its antiforgery token) is accepted by the second.
        (await toSecond.SubmitAsync(setup.Link(invitation), page, Answers("two-servers", email: "two@example.com"))).AssertRedirect("/if/user/");
        await AssertUserAsync(app, "two-servers", "Name of two-servers", "two@example.com", "users/internal", UserType.Internal, []);
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
        // Signed in by the second server, recognised by both.
        Assert.Contains("two-servers", (await toFirst.GetPageAsync("/if/user/")).QuerySelector("dl")!.TextContent);
        Assert.Contains("two-servers", (await toSecond.GetPageAsync("/if/user/")).QuerySelector("dl")!.TextContent);
    }

    [Fact]
    public async Task A_flow_survives_a_server_restart()
    {
        var setup = await GuideFlowAsync(app, "shared-restart", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "shared-restart", fixedData: new() { ["name"] = "Restarted Rita" });
        var cookies = new CookieContainer();

        AngleSharp.Html.Dom.IHtmlDocument page;
        await using (var before = new Hosts.SharingDatabaseWith(app))
        {
            using var client = before.ClientWithCookies(cookies);
            page = await client.GetPageAsync(setup.Link(invitation));
            Assert.Equal("Restarted Rita", InputValue(page, "name"));
        }

        await using var after = new Hosts.SharingDatabaseWith(app);
        using var again = after.ClientWithCookies(cookies);
        (await again.SubmitAsync(setup.Link(invitation), page, Answers("rita", "Restarted Rita"))).AssertRedirect("/if/user/");
        await AssertUserAsync(app, "rita", "Restarted Rita", "rita@example.com", "users/internal", UserType.Internal, []);
        Assert.Contains("rita", (await again.GetPageAsync("/if/user/")).QuerySelector("dl")!.TextContent);
    }
}
