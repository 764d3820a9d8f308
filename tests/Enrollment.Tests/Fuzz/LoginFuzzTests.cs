using System.Net;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Fuzz;

/// <summary>
/// Random and hostile requests to the sign-in page, <c>/if/login/</c>: GETs with absurd <c>next</c> addresses and
/// query strings; POSTs of the sign-in form, right or wrong, in every shape <see cref="FormFuzz"/> makes, with and
/// without the antiforgery cookie and token. No answer is a 5xx; a redirect stays on this site; no request creates a
/// user or an invitation; events stay small.
/// </summary>
public sealed class LoginFuzzTests(Hosts.Default app, ITestOutputHelper output) : IClassFixture<Hosts.Default>
{
    private const string Url = "/if/login/";
    private const int RequestsPerRound = 30;
    /// <summary>Signs in with the right password only, so it is never locked out and some attempts succeed.</summary>
    private const string Member = "fuzz-member";
    /// <summary>Gets wrong passwords (and is locked out): a known account under attack.</summary>
    private const string Target = "fuzz-target";

    private static readonly string[] Keys = ["Input.Username", "Input.Password", "Next", "next", "__RequestVerificationToken", "Input", "Username", "Password"];

    [Theory]
    [MemberData(nameof(FuzzSeeds.Seeds), MemberType = typeof(FuzzSeeds))]
    public async Task Hostile_requests_to_the_sign_in_page_get_no_5xx_and_write_nothing(int seed)
    {
        await app.ArrangeOnceAsync("fuzz-people", async () =>
        {
            await CreateUserAsync(app, Member);
            await CreateUserAsync(app, Target);
            return true;
        });
        var hostile = new Hostile(seed);
        var forms = new FormFuzz(hostile);
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var browser = new FuzzBrowser();
        var statuses = new SortedDictionary<int, int>();
        var signedIn = 0;

        for (var round = 0; round < FuzzSeeds.Rounds; round++)
        {
            var since = DateTime.UtcNow.AddSeconds(-1);
            for (var i = 0; i < RequestsPerRound; i++)
            {
                var trace = new FuzzTrace(nameof(LoginFuzzTests), seed, round, i);
                if (hostile.Chance(0.4) || browser.Token is null)
                {
                    browser = new FuzzBrowser();
                    await browser.OpenAsync(http, Url);
                }
                var request = hostile.Chance(0.25) ? Get(hostile, browser) : Post(hostile, forms, browser);
                var before = await FuzzCounts.OfAsync(app);
                using var response = await http.SendAsync(request.ToMessage());
                browser.Keep(response);
                await FuzzChecks.NoServerErrorAsync(response, request, trace);
                FuzzChecks.RedirectsLocally(response, request, trace);
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;
                if (request.Method == HttpMethod.Post && response.StatusCode == HttpStatusCode.Redirect) signedIn++;

                var after = await FuzzCounts.OfAsync(app);
                Assert.True(after.Users == before.Users && after.Invitations == before.Invitations,
                    $"{trace}: users {before.Users} → {after.Users}, invitations {before.Invitations} → {after.Invitations} after\n{request}");
                Assert.True(after.Events - before.Events <= 2, $"{trace}: {after.Events - before.Events} events for one sign-in\n{request}");
                if (request.CarriesBadBytes)
                    Assert.True((int)response.StatusCode is >= 400 and < 500, $"{trace}: bad bytes got {(int)response.StatusCode} for\n{request}");
            }
            await FuzzChecks.BoundedAsync(app, since, new FuzzTrace(nameof(LoginFuzzTests), seed, round, RequestsPerRound));
        }
        output.WriteLine($"seed {seed}: {FuzzSeeds.Rounds * RequestsPerRound} requests, {signedIn} sign-ins; statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
    }

    /// <summary>A GET of the sign-in page with a hostile <c>next</c>, other parameters, or a query string of raw escapes.</summary>
    private static FuzzRequest Get(Hostile hostile, FuzzBrowser browser)
    {
        var (url, kind) = hostile.Weighted<Func<(string, string)>>(
            (40, () => (Url + "?next=" + FormBody.Escape(Next(hostile)), "hostile next")),
            (15, () => (Url + "?" + string.Join("&", Enumerable.Range(0, hostile.Between(1, 6)).Select(_ => FormBody.Escape(hostile.Name(Keys)) + "=" + FormBody.Escape(hostile.Text()))), "random parameters")),
            (15, () => (Url + "?" + hostile.Pick("next=%00", "next=%FF", "next=%", "Next=a&next=b&NEXT=c", "next=" + new string('/', 3000), "Input.Username=akadmin&Input.Password=x",
                "next=%2F%2Fevil.example", "next=%2F%5Cevil.example", "next=%2F%09%2Fevil.example", "handler=Delete", "next[=x", "next=" + Uri.EscapeDataString("/if/user/😀")), "raw escapes")),
            (5, () => (Url + "?pad=" + new string('p', hostile.Pick(8000, 9000)), "long query"))).Invoke();
        var request = new FuzzRequest(HttpMethod.Get, url, $"GET, {kind}");
        if (hostile.Chance(0.6) && browser.CookieHeader() is { } cookies) request.Headers.Add(("Cookie", cookies));
        if (hostile.Chance(0.2)) request.Headers.Add(("HX-Request", "true"));
        return request;
    }

    /// <summary>Return addresses of every kind: this site's, other sites', the known bypasses of local-URL checks.</summary>
    private static string Next(Hostile hostile) => hostile.Weighted<Func<string>>(
        (20, () => hostile.Pick("/if/user/", "/if/admin/", "/if/flow/invitation-enrollment/", "/", "/if/admin/invitations/?page=2")),
        (40, () => hostile.Pick("//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example", "\\\\evil.example", "https://evil.example/",
            "javascript:alert(1)", "/%2F/evil.example", "/%5Cevil.example", " //evil.example", "/\u3000/evil.example", "/ /evil.example", "http:/evil.example",
            "/\r\n/evil.example", "data:text/html,x", "///evil.example", "/.//evil.example", "/..//evil.example", "\u0000//evil.example")),
        (40, () => hostile.Text())).Invoke();

    /// <summary>A POST of the sign-in form: the member's right password, the target's wrong ones, or hostile names and passwords.</summary>
    private static FuzzRequest Post(Hostile hostile, FormFuzz forms, FuzzBrowser browser)
    {
        var (username, password) = hostile.Weighted<Func<(string, string)>>(
            (20, () => (hostile.Pick(Member, Member.ToUpperInvariant(), $"{Member}@example.com", $" {Member} "), Password)),
            (20, () => (Target, hostile.Text())),
            (10, () => (hostile.Pick("akadmin", "AKADMIN", "admin@example.com"), hostile.Pick("", "wrong", Password, "' OR '1'='1"))),
            (50, () => (hostile.Text(), hostile.Text()))).Invoke();
        var fields = new List<(string Key, string Value)> { ("Input.Username", username), ("Input.Password", password) };
        if (hostile.Chance(0.3)) fields.Add((hostile.Pick("Next", "next"), Next(hostile)));
        var what = "sign-in";
        if (hostile.Chance(0.3))
        {
            var changes = forms.Mutate(fields, Keys, 3);
            what = $"sign-in, {changes} mutations";
        }
        var token = hostile.Weighted((80, browser.Token), (8, null), (6, "CfDJ8" + hostile.Ascii(100)), (6, hostile.Text()));
        if (token is not null) fields.Add(("__RequestVerificationToken", token));
        var url = hostile.Weighted((75, Url), (25, Url + "?next=" + FormBody.Escape(Next(hostile))));
        var request = forms.Request(url, fields, browser.Token, what);
        var cookies = hostile.Weighted<Func<string?>>(
            (80, () => browser.CookieHeader()),
            (10, () => null),
            (10, () => browser.CookieHeader((name, value) => name == "enrollment_csrf" ? hostile.Pick("", "garbage", "CfDJ8" + hostile.Ascii(120)) : value))).Invoke();
        if (cookies is not null) request.Headers.Add(("Cookie", cookies));
        return request;
    }
}
