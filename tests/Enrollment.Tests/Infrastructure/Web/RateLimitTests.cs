using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>
/// The app with rate limits on and small enough to reach in a test. Each test speaks from its own client address
/// (<see cref="ClientHeader"/>, set as the connection's remote address the way forwarded-headers processing would).
/// </summary>
public sealed class RateLimitedApp() : EnrollmentApp(new HostConfiguration
    {
        Settings = _ => new Dictionary<string, string?>
        {
            ["RateLimits:Enabled"] = "true",
            ["RateLimits:SignIn:PermitLimit"] = "3",
            ["RateLimits:InitialSetup:PermitLimit"] = "3",
            ["RateLimits:Flow:PermitLimit"] = "6",
            ["RateLimits:EmailLink:PermitLimit"] = "2",
            ["RateLimits:Api:PermitLimit"] = "4",
            ["RateLimits:Api:Window"] = "00:10:00",
        },
    })
{
    public const string ClientHeader = "X-Test-Client-Address";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
    }

    /// <summary>A client at <paramref name="address"/>: a browser-like client, or the API with <paramref name="token"/>.</summary>
    public TestClient ClientAt(string address)
    {
        var client = NewClient();
        client.Http.DefaultRequestHeaders.Add(ClientHeader, address);
        return client;
    }

    public HttpClient ApiClientAt(string address, string? token = AdminToken)
    {
        var client = ApiClient(token);
        client.DefaultRequestHeaders.Add(ClientHeader, address);
        return client;
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, following) =>
            {
                if (IPAddress.TryParse(context.Request.Headers[ClientHeader].ToString(), out var address)) context.Connection.RemoteIpAddress = address;
                return following(context);
            });
            next(app);
        };
    }
}

/// <summary>
/// ASP.NET Core's rate limiter on sign-in, initial set-up, flow posts, email links and the API: a person's pace passes,
/// a script's gets 429 with <c>Retry-After</c> — a friendly page in the browser, DRF's JSON on the API — and other
/// addresses (or tokens) are not affected.
/// </summary>
public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    private static FormUrlEncodedContent Form(IEnumerable<(string Key, string Value)> fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static void AssertRetryAfter(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var seconds = response.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.True(seconds is > 0 and <= 600, $"Retry-After: {response.Headers.RetryAfter}");
    }

    [Fact]
    public async Task Sign_in_attempts_over_the_limit_get_a_friendly_429_page_and_other_addresses_still_sign_in()
    {
        using var script = app.ClientAt("198.51.100.1");
        var page = await script.GetPageAsync("/if/login/");
        var token = TestClient.AntiforgeryToken(page);
        for (var i = 0; i < 3; i++)
        {
            var wrong = await script.Http.PostAsync("/if/login/", Form([("Input.Username", "nobody"), ("Input.Password", $"guess-{i}"), ("__RequestVerificationToken", token)]));
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var refused = await script.Http.PostAsync("/if/login/", Form([("Input.Username", "akadmin"), ("Input.Password", EnrollmentApp.AdminPassword), ("__RequestVerificationToken", token)]));
        AssertRetryAfter(refused);
        var html = await TestClient.ParseAsync(refused);
        Assert.Equal("Too many requests", html.QuerySelector("h1")?.TextContent.Trim());
        Assert.Contains("Wait", html.QuerySelector("main")?.TextContent ?? html.Body!.TextContent);
        Assert.Null(html.QuerySelector("input[name='Input.Password']"));

        // The page itself still loads (only posts count), and another address is not held back.
        await script.GetPageAsync("/if/login/");
        using var person = app.ClientAt("198.51.100.2");
        await person.LoginAsync("akadmin", EnrollmentApp.AdminPassword);
    }

    [Fact]
    public async Task An_htmx_request_over_the_limit_is_sent_to_the_friendly_page_since_htmx_swaps_no_429()
    {
        using var script = app.ClientAt("198.51.100.3");
        var token = TestClient.AntiforgeryToken(await script.GetPageAsync("/if/login/"));
        HttpResponseMessage last = null!;
        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/if/login/")
            {
                Content = Form([("Input.Username", "nobody"), ("Input.Password", "x"), ("__RequestVerificationToken", token)]),
            };
            request.Headers.Add("HX-Request", "true");
            last = await script.Http.SendAsync(request);
        }
        AssertRetryAfter(last);
        Assert.Equal("/error/429/", last.Headers.GetValues("HX-Redirect").Single());
        var shown = await script.GetPageAsync("/error/429/", HttpStatusCode.TooManyRequests);
        Assert.Equal("Too many requests", shown.QuerySelector("h1")?.TextContent.Trim());
    }

    [Fact]
    public async Task The_initial_setup_page_checks_its_token_only_a_few_times_a_minute_per_address()
    {
        using var script = app.ClientAt("198.51.100.4");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await script.Http.GetAsync($"/if/flow/initial-setup/?token=guess{i}")).StatusCode);
        AssertRetryAfter(await script.Http.GetAsync("/if/flow/initial-setup/?token=guess4"));
    }

    [Fact]
    public async Task Every_flow_post_takes_a_permit_and_the_flow_page_itself_does_not()
    {
        using var script = app.ClientAt("198.51.100.5");
        var token = TestClient.AntiforgeryToken(await script.GetPageAsync("/if/login/"));
        for (var i = 0; i < 6; i++)
        {
            var answer = await script.Http.PostAsync("/if/flow/no-such-flow/", Form([("stage", Guid.NewGuid().ToString()), ("username", $"probe{i}"), ("__RequestVerificationToken", token)]));
            Assert.NotEqual(HttpStatusCode.TooManyRequests, answer.StatusCode);
        }
        AssertRetryAfter(await script.Http.PostAsync("/if/flow/no-such-flow/", Form([("username", "probe"), ("__RequestVerificationToken", token)])));
        for (var i = 0; i < 8; i++)
            Assert.Equal(HttpStatusCode.NotFound, (await script.Http.GetAsync("/if/flow/no-such-flow/")).StatusCode);
    }

    [Fact]
    public async Task Email_links_have_their_own_smaller_limit_whether_the_token_is_in_the_address_or_only_in_the_form()
    {
        using (var opener = app.ClientAt("198.51.100.6"))
        {
            for (var i = 0; i < 2; i++)
                Assert.Equal(HttpStatusCode.NotFound, (await opener.Http.GetAsync($"/if/flow/no-such-flow/?flow_token=guess{i}")).StatusCode);
            AssertRetryAfter(await opener.Http.GetAsync("/if/flow/no-such-flow/?flow_token=guess3"));
        }

        // The confirmation as htmx posts it: the token only in the form, which the middleware cannot see.
        using var confirmer = app.ClientAt("198.51.100.7");
        var token = TestClient.AntiforgeryToken(await confirmer.GetPageAsync("/if/login/"));
        for (var i = 0; i < 2; i++)
        {
            var answer = await confirmer.Http.PostAsync("/if/flow/no-such-flow/", Form([("flow_token", $"guess{i}"), ("__RequestVerificationToken", token)]));
            Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        }
        AssertRetryAfter(await confirmer.Http.PostAsync("/if/flow/no-such-flow/", Form([("flow_token", "guess3"), ("__RequestVerificationToken", token)])));
        // Ordinary flow posts from that address still have their own permits left.
        Assert.Equal(HttpStatusCode.NotFound, (await confirmer.Http.PostAsync("/if/flow/no-such-flow/", Form([("username", "x"), ("__RequestVerificationToken", token)]))).StatusCode);
    }

    [Fact]
    public async Task The_api_is_limited_per_token_with_drf_json_and_another_token_from_the_same_address_goes_on()
    {
        const string otherKey = "rate-limit-second-token-0123456789";
        await app.DbAsync(async db =>
        {
            var admin = db.Users.Single(u => u.UserName == "akadmin");
            db.Tokens.Add(new Token { Identifier = "rate-limit-second", KeyHash = ApiTokenAuthenticationHandler.Digest(otherKey), UserId = admin.Id, Expiring = false });
            await db.SaveChangesAsync();
        });

        using var first = app.ApiClientAt("198.51.100.8");
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v3/core/users/")).StatusCode);
        var throttled = await first.GetAsync("/api/v3/core/users/");
        AssertRetryAfter(throttled);
        Assert.StartsWith("application/json", throttled.Content.Headers.ContentType?.MediaType);
        var detail = (string?)(await throttled.Content.ReadFromJsonAsync<JsonObject>())?["detail"];
        Assert.Matches(@"^Request was throttled\. Expected available in \d+ seconds\.$", detail);

        using var second = app.ApiClientAt("198.51.100.8", otherKey);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v3/core/users/")).StatusCode);
    }
}

/// <summary><c>RateLimits:Enabled=false</c> (as the test fixture and the benchmarks set it): nothing is ever refused.</summary>
public sealed class RateLimitsOffTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task With_rate_limits_off_a_script_pace_is_never_refused()
    {
        using var client = app.NewClient();
        var token = TestClient.AntiforgeryToken(await client.GetPageAsync("/if/login/"));
        for (var i = 0; i < 30; i++)
        {
            var answer = await client.Http.PostAsync("/if/login/", new FormUrlEncodedContent(
                [new("Input.Username", $"nobody{i}"), new("Input.Password", "x"), new("__RequestVerificationToken", token)]));
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }
        using var api = app.ApiClient();
        for (var i = 0; i < 30; i++) Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v3/core/groups/")).StatusCode);
    }
}
