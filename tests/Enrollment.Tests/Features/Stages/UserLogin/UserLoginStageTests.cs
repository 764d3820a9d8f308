using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.Net.Http.Headers;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.UserLogin;

/// <summary>The user login stage: session cookie lifetime, no pending user, landing on /if/user/ with the flash.</summary>
public sealed class UserLoginStageTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private async Task<Flow> EnrollmentFlowAsync(string slug, string sessionDuration, Group? group = null)
    {
        var account = AccountPrompts(slug);
        var write = new UserWriteStage { Name = $"{slug}-write", UserType = UserType.Internal, UserPathTemplate = "users/invited", CreateUsersGroupId = group?.Id };
        return (await FlowAsync(app, slug, [account, write, new UserLoginStage { Name = $"{slug}-login", SessionDuration = sessionDuration }])).Flow;
    }

    /// <summary>Submits the account stage and follows the flow; returns every response on the way.</summary>
    private static async Task<List<HttpResponseMessage>> EnrollAsync(TestClient client, Flow flow, string username) =>
        await FollowAsync(client, await client.SubmitAsync(FlowUrl(flow), Answers(username)));

    private static SetCookieHeaderValue SessionCookie(IEnumerable<HttpResponseMessage> chain)
    {
        var cookies = chain.SelectMany(r => r.Headers.TryGetValues("Set-Cookie", out var v) ? v : [])
            .Select(c => SetCookieHeaderValue.Parse(c)).Where(c => c.Name == "enrollment_session" && !string.IsNullOrEmpty(c.Value.Value)).ToList();
        Assert.Single(cookies);
        return cookies[0];
    }

    [Fact]
    public async Task Seconds_zero_signs_in_with_a_session_cookie_that_ends_with_the_browser()
    {
        var flow = await EnrollmentFlowAsync("login-session", "seconds=0");
        using var client = app.NewClient();
        var chain = await EnrollAsync(client, flow, "session-jane");

        var cookie = SessionCookie(chain);
        Assert.Null(cookie.Expires);
        Assert.Null(cookie.MaxAge);
        Assert.True(cookie.HttpOnly);
        Assert.Equal(HttpStatusCode.OK, chain[^1].StatusCode);
        Assert.Equal("/if/user/", chain[^1].RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Hours_eight_signs_in_with_a_persistent_cookie_expiring_eight_hours_ahead()
    {
        var flow = await EnrollmentFlowAsync("login-persistent", "hours=8");
        using var client = app.NewClient();
        var chain = await EnrollAsync(client, flow, "persistent-jane");

        var cookie = SessionCookie(chain);
        var expires = cookie.Expires ?? (cookie.MaxAge is { } age ? DateTimeOffset.UtcNow + age : null);
        Assert.NotNull(expires);
        var ahead = expires.Value - DateTimeOffset.UtcNow;
        Assert.InRange(ahead, TimeSpan.FromHours(8) - TimeSpan.FromMinutes(5), TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_flow_with_only_a_login_stage_has_no_pending_user_to_log_in()
    {
        var (flow, _) = await FlowAsync(app, "login-alone", [new UserLoginStage { Name = "login-alone-login" }]);
        using var client = app.NewClient();
        var response = await client.Http.GetAsync(FlowUrl(flow));
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("No Pending user to login.", Denial(page));
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var v) ? v : [], c => c.StartsWith("enrollment_session=") && !c.StartsWith("enrollment_session=;"));
        await AssertSignedOutAsync(client);
    }

    [Fact]
    public async Task Internal_users_land_on_their_page_with_the_flash_their_details_and_a_sign_out_form()
    {
        var group = await GroupAsync(app, "Invited people");
        var flow = await EnrollmentFlowAsync("login-home", "seconds=0", group);
        using var client = app.NewClient();
        var chain = await EnrollAsync(client, flow, "home-jane");

        Assert.Equal("/if/user/", chain[^1].RequestMessage!.RequestUri!.AbsolutePath);
        var home = await TestClient.ParseAsync(chain[^1]);
        Assert.Equal("Successfully logged in!", home.QuerySelector(".flash")?.TextContent.Trim());
        var details = home.QuerySelectorAll("dl.props dt").ToDictionary(dt => dt.TextContent.Trim(), dt => dt.NextElementSibling!.TextContent.Trim());
        Assert.Equal("home-jane", details["Username"]);
        Assert.Equal("Name of home-jane", details["Name"]);
        Assert.Equal("home-jane@example.com", details["Email"]);
        Assert.Equal("users/invited", details["Path"]);
        Assert.Equal("Invited people", details["Groups"]);

        var signOut = home.QuerySelector("form[action='/if/logout/']")!;
        Assert.Equal("post", signOut.GetAttribute("method"));
        Assert.NotNull(signOut.QuerySelector("input[name=__RequestVerificationToken]"));
        Assert.Equal("Sign out", signOut.QuerySelector("button[type=submit]")!.TextContent.Trim());

        // The flash is shown once.
        var again = await client.GetPageAsync("/if/user/");
        Assert.Null(again.QuerySelector(".flash"));

        var token = TestClient.AntiforgeryToken(home);
        (await client.Http.PostAsync("/if/logout/", new FormUrlEncodedContent([new("__RequestVerificationToken", token)]))).AssertRedirect("/");
        await AssertSignedOutAsync(client);
    }
}
