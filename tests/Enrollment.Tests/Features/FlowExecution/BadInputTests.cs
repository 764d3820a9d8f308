using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// What a browser (or someone pretending to be one) may send that the flow did not ask for. Each ends on a clear
/// page, never a 500, and writes nothing: no user, no used-up invitation, the plan where it was.
/// </summary>
public sealed class BadInputTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    /// <summary>SubmitStepHandler.Expired (internal to the app), as the invitee reads it.</summary>
    private const string Expired = "This sign-up session has ended or expired. Open your invitation link again to start over.";

    [Fact]
    public async Task Tampered_read_only_and_hidden_values_are_replaced_by_the_server_values()
    {
        const string slug = "bad-tamper";
        var prompts = new PromptStage
        {
            Name = $"{slug}-prompts",
            Fields =
            [
                Field(slug, "username", PromptType.Username, 0),
                Field(slug, "email", PromptType.TextReadOnly, 1),
                Field(slug, "name", PromptType.TextAreaReadOnly, 2),
                new Prompt { Name = $"{slug}-team", FieldKey = "attributes.team", Type = PromptType.Hidden, InitialValue = "blue", Order = 3 },
            ],
        };
        var (flow, _) = await FlowAsync(app, slug, [new InvitationStage { Name = $"{slug}-invitation" }, prompts,
            new UserWriteStage { Name = $"{slug}-write", UserType = UserType.Internal, UserPathTemplate = "users/internal" },
            new UserLoginStage { Name = $"{slug}-login" }]);
        var invitation = await InvitationAsync(app, slug, flow.Id, fixedData: new() { ["email"] = "locked@example.com", ["name"] = "Locked Name" });
        using var client = app.NewClient();
        var link = invitation.Link(slug);

        var page = await client.GetPageAsync(link);
        var email = page.QuerySelector("#flow-card input[name=email]")!;
        Assert.Equal("locked@example.com", email.GetAttribute("value"));
        Assert.True(email.HasAttribute("readonly"));
        Assert.Equal("Locked Name", page.QuerySelector("#flow-card textarea[name=name]")!.TextContent);
        Assert.Equal("blue", page.QuerySelector("#flow-card input[type=hidden][name='attributes.team']")!.GetAttribute("value"));

        var posted = await client.SubmitAsync(link, page, ("username", "tamperer"), ("email", "evil@example.com"), ("name", "Evil"), ("attributes.team", "red"));
        posted.AssertRedirect("/if/user/");

        await AssertUserAsync(app, "tamperer", "Locked Name", "locked@example.com", "users/internal", UserType.Internal, [],
            """{"team":"blue"}""", hasPassword: false);
    }

    [Fact]
    public async Task A_post_with_another_clients_antiforgery_token_is_a_bad_request_and_changes_nothing()
    {
        var setup = await GuideFlowAsync(app, "bad-foreign", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "bad-foreign");
        using var victim = app.NewClient();
        using var other = app.NewClient();
        var victimPage = await victim.GetPageAsync(setup.Link(invitation));
        var otherPage = await other.GetPageAsync(setup.Link(invitation));

        var forged = await victim.Http.PostAsync(setup.Link(invitation), Form(
            [.. Answers("forged"), ("stage", StageId(victimPage)), ("__RequestVerificationToken", TestClient.AntiforgeryToken(otherPage))]));
        await AssertBadRequestAsync(forged);
        // Nothing moved: the same stage is shown again, and a proper submission still works.
        var again = await victim.GetPageAsync(setup.Link(invitation));
        Assert.Equal(StageId(victimPage), StageId(again));
        Assert.Null(await UserAsync(app, "forged"));
        Assert.Equal(0, await UsesAsync(app, invitation.Id));
        (await victim.SubmitAsync(setup.Link(invitation), again, Answers("forged"))).AssertRedirect("/if/user/");
        Assert.NotNull(await UserAsync(app, "forged"));
    }

    [Fact]
    public async Task A_replayed_antiforgery_token_from_an_earlier_session_is_a_bad_request()
    {
        var setup = await GuideFlowAsync(app, "bad-replay", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "bad-replay", singleUse: false);
        string oldToken, oldStage;
        using (var earlier = app.NewClient())
        {
            var page = await earlier.GetPageAsync(setup.Link(invitation));
            (oldToken, oldStage) = (TestClient.AntiforgeryToken(page), StageId(page));
        }

        // A new browser session: its own antiforgery cookie, the old session's token.
        using var client = app.NewClient();
        var current = await client.GetPageAsync(setup.Link(invitation));
        Assert.Equal(oldStage, StageId(current));
        await AssertBadRequestAsync(await client.Http.PostAsync(setup.Link(invitation), Form([.. Answers("replayed"), ("stage", oldStage), ("__RequestVerificationToken", oldToken)])));
        Assert.Null(await UserAsync(app, "replayed"));
        Assert.Equal(0, await UsesAsync(app, invitation.Id));

        // The same browser after signing in: the token it got while anonymous no longer fits the signed-in user.
        var anonymousToken = TestClient.AntiforgeryToken(current);
        (await client.SubmitAsync(setup.Link(invitation), current, Answers("replayer"))).AssertRedirect("/if/user/");
        await AssertBadRequestAsync(await client.Http.PostAsync(setup.Link(invitation), Form([.. Answers("replayer-2"), ("stage", oldStage), ("__RequestVerificationToken", anonymousToken)])));
        Assert.Null(await UserAsync(app, "replayer-2"));
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
    }

    [Fact]
    public async Task A_post_without_the_plan_cookie_says_the_session_ended()
    {
        var setup = await GuideFlowAsync(app, "bad-no-cookie");
        var invitation = await setup.InviteAsync(app, "bad-no-cookie");
        var cookies = new CookieContainer();
        using var client = app.ClientWithCookies(cookies);
        var page = await client.GetPageAsync(setup.Link(invitation));
        var planCookie = cookies.GetCookies(new Uri("http://localhost/if/flow/bad-no-cookie/"))["enrollment_flow"];
        Assert.NotNull(planCookie);
        planCookie!.Expired = true; // the browser was closed, or the cookie cleared

        var posted = await client.SubmitAsync(setup.Link(invitation), page, Answers("cookieless"));
        AssertDenied(await PageOf(posted), Expired);
        Assert.Null(await UserAsync(app, "cookieless"));
        Assert.Equal(0, await UsesAsync(app, invitation.Id));

        // Opening the invitation link again starts over and works.
        await client.EnrollToTheEndAsync(setup.Link(invitation), Answers("cookieless"));
        Assert.NotNull(await UserAsync(app, "cookieless"));
    }

    [Fact]
    public async Task A_post_to_a_finished_flow_says_the_session_ended_and_writes_nothing_more()
    {
        var setup = await GuideFlowAsync(app, "bad-finished", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "bad-finished", singleUse: false);
        using var client = app.NewClient();
        var page = await client.GetPageAsync(setup.Link(invitation));
        var stage = StageId(page);
        (await client.SubmitAsync(setup.Link(invitation), page, Answers("finisher"))).AssertRedirect("/if/user/");
        var users = await UserCountAsync(app);

        // A valid token for the signed-in user (from the user interface), the flow's old form posted again.
        var home = await client.GetPageAsync("/if/user/");
        var posted = await client.Http.PostAsync(FlowUrl("bad-finished"), Form([.. Answers("finisher-again"), ("stage", stage), ("__RequestVerificationToken", TestClient.AntiforgeryToken(home))]));
        AssertDenied(await PageOf(posted), Expired);
        Assert.Equal(users, await UserCountAsync(app));
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
    }

    [Theory]
    [InlineData("past")]
    [InlineData("random")]
    [InlineData("garbage")]
    public async Task A_post_with_a_stale_stage_id_goes_back_to_the_current_stage(string kind)
    {
        var slug = $"bad-stale-{kind}";
        var setup = await GuideFlowAsync(app, slug);
        var invitation = await setup.InviteAsync(app, slug);
        using var client = app.NewClient();
        var page = await client.GetPageAsync(setup.Link(invitation));
        var invitationBinding = await app.DbAsync(db => db.FlowStageBindings.Where(b => b.FlowId == setup.Flow.Id && b.Order == 0).Select(b => b.Id).SingleAsync());
        var stage = kind switch { "past" => invitationBinding.ToString(), "random" => Guid.NewGuid().ToString(), _ => "not-a-binding" };

        var posted = await client.Http.PostAsync(setup.Link(invitation), Form([.. Answers($"stale-{kind}"), ("stage", stage), ("__RequestVerificationToken", TestClient.AntiforgeryToken(page))]));
        posted.AssertRedirect(FlowUrl(slug));
        var current = await client.GetPageAsync(FlowUrl(slug));
        Assert.Equal(StageId(page), StageId(current));
        Assert.Equal("", InputValue(current, "username")); // nothing of the stale post was kept
        Assert.Null(await UserAsync(app, $"stale-{kind}"));
        Assert.Equal(0, await UsesAsync(app, invitation.Id));
    }

    [Fact]
    public async Task An_unknown_flow_slug_is_a_not_found_page()
    {
        using var client = app.NewClient();
        var page = await client.GetPageAsync("/if/flow/no-such-flow/?itoken=" + Guid.NewGuid(), HttpStatusCode.NotFound);
        Assert.Equal("Not found", page.QuerySelector("h1")!.TextContent.Trim());

        // Posting to it (with a valid token from another page) is a not-found page too.
        var login = await client.GetPageAsync("/if/login/");
        var posted = await client.Http.PostAsync("/if/flow/no-such-flow/", Form([("stage", Guid.NewGuid().ToString()), ("__RequestVerificationToken", TestClient.AntiforgeryToken(login))]));
        Assert.Equal("Not found", (await PageOf(posted, HttpStatusCode.NotFound)).QuerySelector("h1")!.TextContent.Trim());
    }

    [Theory]
    [InlineData("%20")]
    [InlineData("%0D%0A")]
    [InlineData("%09%20%09")]
    public async Task A_flow_slug_of_only_whitespace_is_a_not_found_page(string slug)
    {
        using var client = app.NewClient();
        var page = await client.GetPageAsync($"/if/flow/{slug}/?itoken=" + Guid.NewGuid(), HttpStatusCode.NotFound);
        Assert.Equal("Not found", page.QuerySelector("h1")!.TextContent.Trim());

        var login = await client.GetPageAsync("/if/login/");
        var posted = await client.Http.PostAsync($"/if/flow/{slug}/", Form([("stage", Guid.NewGuid().ToString()), ("__RequestVerificationToken", TestClient.AntiforgeryToken(login))]));
        Assert.Equal("Not found", (await PageOf(posted, HttpStatusCode.NotFound)).QuerySelector("h1")!.TextContent.Trim());
    }

    private static FormUrlEncodedContent Form((string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static async Task AssertBadRequestAsync(HttpResponseMessage response)
    {
        var page = await PageOf(response, HttpStatusCode.BadRequest);
        Assert.Equal("Bad request", page.QuerySelector("h1")!.TextContent.Trim());
    }
}
