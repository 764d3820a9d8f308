using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// The guide's troubleshooting causes, as the invitee meets them: each unusable invitation has its own message in
/// the flow card and writes no user; plus the set-ups that look wrong but run (no invitation stage, an unknown
/// pre-filled key, an expression placeholder).
/// </summary>
public sealed class TroubleshootingTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private async Task AssertDeniedWithoutUserAsync(string url, string message)
    {
        var before = await UserCountAsync(app);
        using var client = app.NewClient();
        var page = await client.GetPageAsync(url);
        AssertDenied(page, message);
        // Opening the link again shows the same denial: nothing was planned that could be continued.
        AssertDenied(await client.GetPageAsync(url), message);
        Assert.Equal(before, await UserCountAsync(app));
    }

    [Fact]
    public async Task An_expired_invitation_is_refused_as_expired()
    {
        var setup = await GuideFlowAsync(app, "ts-expired");
        var invitation = await setup.InviteAsync(app, "expired", expires: DateTime.UtcNow.AddMinutes(-1));
        await AssertDeniedWithoutUserAsync(setup.Link(invitation), InvitationMessages.Expired);
        Assert.Equal(0, await UsesAsync(app, invitation.Id));
    }

    [Fact]
    public async Task A_used_single_use_invitation_is_refused_in_a_second_browser()
    {
        var setup = await GuideFlowAsync(app, "ts-used");
        var invitation = await setup.InviteAsync(app, "used-once");
        using (var first = app.NewClient())
            await first.EnrollToTheEndAsync(setup.Link(invitation), Answers("first-invitee"));

        await AssertDeniedWithoutUserAsync(setup.Link(invitation), InvitationMessages.Used);
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
    }

    [Fact]
    public async Task An_invitation_for_another_flow_is_refused_as_meant_for_another_page()
    {
        var setup = await GuideFlowAsync(app, "ts-this-flow");
        var other = await GuideFlowAsync(app, "ts-other-flow");
        var invitation = await other.InviteAsync(app, "for-the-other-flow");
        await AssertDeniedWithoutUserAsync($"/if/flow/ts-this-flow/?itoken={invitation.Id}", InvitationMessages.WrongFlow);
        Assert.Equal(0, await UsesAsync(app, invitation.Id));
    }

    [Fact]
    public async Task No_token_is_refused_as_invitation_only()
    {
        await GuideFlowAsync(app, "ts-no-token");
        await AssertDeniedWithoutUserAsync("/if/flow/ts-no-token/", InvitationMessages.Missing);
        await AssertDeniedWithoutUserAsync("/if/flow/ts-no-token/?itoken=", InvitationMessages.Missing);
    }

    /// <summary>A token that is not a UUID and a UUID that names no invitation read the same: the link is not valid.</summary>
    [Fact]
    public async Task A_malformed_token_and_an_unknown_uuid_are_refused_as_invalid_links()
    {
        await GuideFlowAsync(app, "ts-bad-token");
        await AssertDeniedWithoutUserAsync("/if/flow/ts-bad-token/?itoken=not-a-uuid", InvitationMessages.Unknown);
        await AssertDeniedWithoutUserAsync("/if/flow/ts-bad-token/?itoken=%27%3B--", InvitationMessages.Unknown);
        await AssertDeniedWithoutUserAsync($"/if/flow/ts-bad-token/?itoken={Guid.NewGuid()}", InvitationMessages.Unknown);
    }

    /// <summary>
    /// The invitation was fine when the link was opened but expires, or is deleted by an admin, before the invitee
    /// submits: the user write stage refuses it with the message for that cause, not "already used".
    /// </summary>
    [Theory]
    [InlineData("expired")]
    [InlineData("deleted")]
    public async Task An_invitation_that_becomes_unusable_while_the_form_is_filled_is_refused_for_that_cause(string cause)
    {
        var slug = $"ts-midway-{cause}";
        var setup = await GuideFlowAsync(app, slug);
        var invitation = await setup.InviteAsync(app, slug, expires: DateTime.UtcNow.AddHours(1));
        using var client = app.NewClient();
        var page = await client.GetPageAsync(setup.Link(invitation));

        await app.DbAsync(async db =>
        {
            var row = await db.Invitations.SingleAsync(i => i.Id == invitation.Id);
            if (cause == "expired") row.Expires = DateTime.UtcNow.AddSeconds(-1);
            else db.Invitations.Remove(row);
            await db.SaveChangesAsync();
        });
        // The POST goes on to the user write stage, which finds the invitation unusable.
        var posted = await client.SubmitAsync(setup.Link(invitation), page, Answers($"midway-{cause}"));
        AssertDenied(await PageOf(posted), cause == "expired" ? InvitationMessages.Expired : InvitationMessages.Unknown);
        Assert.Null(await app.DbAsync(db => db.FlowPlans.SingleOrDefaultAsync(p => p.FlowId == setup.Flow.Id))); // the flow is over
        Assert.Null(await UserAsync(app, $"midway-{cause}"));
        if (cause == "expired") Assert.Equal(0, await UsesAsync(app, invitation.Id));
    }

    /// <summary>
    /// Without an invitation stage nothing looks at the token: anyone with the link enrolls, the invitation's fixed
    /// data is NOT applied and the invitation is NOT used up (the admin's invitation page warns about this set-up).
    /// </summary>
    [Fact]
    public async Task A_flow_without_an_invitation_stage_ignores_the_invitation()
    {
        var (flow, _) = await FlowAsync(app, "ts-no-stage", [AccountPrompts("ts-no-stage"),
            new UserWriteStage { Name = "ts-no-stage-write", UserType = UserType.Internal, UserPathTemplate = "users/internal" },
            new UserLoginStage { Name = "ts-no-stage-login" }]);
        var invitation = await InvitationAsync(app, "ignored", flow.Id, fixedData: new()
        {
            ["email"] = "fixed@example.com",
            ["attributes"] = new JsonObject { ["department"] = "Sales" },
        });
        using var client = app.NewClient();

        var link = invitation.Link(flow.Slug);
        var page = await client.GetPageAsync(link);
        Assert.Equal("", InputValue(page, "email")); // not pre-filled
        var posted = await client.SubmitAsync(link, page, Answers("no-stage", email: "typed@example.com"));
        posted.AssertRedirect("/if/user/");

        await AssertUserAsync(app, "no-stage", "Name of no-stage", "typed@example.com", "users/internal", UserType.Internal, []);
        Assert.Equal(0, await UsesAsync(app, invitation.Id));
        var used = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "invitation_used").ToListAsync());
        Assert.DoesNotContain(used, e => (string?)e.Context["invitation"] == invitation.Id.ToString());
        // Single use and still unused: a second visitor enrolls the same way.
        using var second = app.NewClient();
        await second.EnrollToTheEndAsync(link, Answers("no-stage-2"));
        Assert.Equal(0, await UsesAsync(app, invitation.Id));
    }

    /// <summary>
    /// A fixed-data key that matches no prompt is not shown; it stays in prompt_data, and the user write stage drops
    /// it (UserMapping maps only username, name, email, password, attributes and attributes.*), so the user has no
    /// trace of it. The enrollment itself goes through.
    /// </summary>
    [Fact]
    public async Task A_prefilled_key_without_a_prompt_is_not_shown_and_is_dropped_from_the_user()
    {
        var setup = await GuideFlowAsync(app, "ts-unknown-key");
        var invitation = await setup.InviteAsync(app, "colour", fixedData: new() { ["favourite_colour"] = "blue" });
        using var client = app.NewClient();

        var page = await client.GetPageAsync(setup.Link(invitation));
        var card = page.QuerySelector("#flow-card")!;
        Assert.DoesNotContain("favourite_colour", card.OuterHtml);
        Assert.DoesNotContain("blue", card.OuterHtml);
        var posted = await client.SubmitAsync(setup.Link(invitation), page, Answers("colourful"));
        posted.AssertRedirect("/if/user/");

        var user = await AssertUserAsync(app, "colourful", "Name of colourful", "colourful@example.com", "users", UserType.External, [], "{}");
        Assert.DoesNotContain("blue", user.Attributes.ToJsonString());
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
    }

    /// <summary>An expression placeholder is code for the server: its result is shown, never its source; the pre-filled value still shows.</summary>
    [Fact]
    public async Task An_expression_placeholder_shows_its_result_not_its_source_and_the_prefilled_value_still_appears()
    {
        var setup = await GuideFlowAsync(app, "ts-placeholder");
        await app.DbAsync(async db =>
        {
            var name = await db.Prompts.SingleAsync(p => p.Name == "ts-placeholder-name");
            name.PlaceholderExpression = true;
            name.Placeholder = "return 'x'";
            await db.SaveChangesAsync();
        });
        var invitation = await setup.InviteAsync(app, "placeholder", fixedData: new() { ["name"] = "Pre Filled" });
        using var client = app.NewClient();

        var html = await client.GetHtmlAsync(setup.Link(invitation));
        Assert.DoesNotContain("return 'x'", html);
        Assert.DoesNotContain("return &#x27;x&#x27;", html);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        Assert.DoesNotContain("return", page.QuerySelector("#flow-card")!.OuterHtml);
        var input = page.QuerySelector("#flow-card input[name=name]")!;
        Assert.Equal("Pre Filled", input.GetAttribute("value"));
        // Evaluated when Python is there; without it the placeholder is left out rather than showing the source.
        Assert.Equal(app.Services.GetRequiredService<Enrollment.Infrastructure.Python.PythonExpressions>().IsAvailable ? "x" : null, input.GetAttribute("placeholder"));

        var posted = await client.SubmitAsync(setup.Link(invitation), page, Answers("placeholder", "Pre Filled"));
        posted.AssertRedirect("/if/user/");
        await AssertUserAsync(app, "placeholder", "Pre Filled", "placeholder@example.com", "users", UserType.External, []);
    }
}
