using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Fuzz;

/// <summary>
/// Random and hostile requests to a flow page, <c>/if/flow/&lt;slug&gt;/</c>, reached with a real invitation: a
/// flow of invitation, prompt (every kind of field that takes a value), user write and user login stages. GETs
/// with absurd query strings and bad <c>itoken</c>s; POSTs with and without the plan cookie, the antiforgery token
/// and the stage id, htmx on and off, in every shape <see cref="FormFuzz"/> makes. No answer is a 5xx; a request
/// writes one user at most, and only when it leaves the flow; a 4xx or a request with bad bytes writes none; the
/// invitation is used exactly once per user written; events and plans stay small.
/// </summary>
public sealed class FlowExecutorFuzzTests(Hosts.Default app, ITestOutputHelper output) : IClassFixture<Hosts.Default>
{
    private const string Slug = "fuzz-enrollment";
    private const int RequestsPerRound = 30;

    private static readonly string[] Keys =
    [
        "username", "name", "email", "password", "password_repeat", "attributes.age", "attributes.terms", "attributes.color",
        "attributes.size", "attributes.birthday", "attributes.meeting", "attributes.bio", "attributes.locale", "attributes.source",
        "stage", "__RequestVerificationToken",
    ];

    /// <summary>Invitations that cannot be used with the fuzz flow: expired, used up, for another flow.</summary>
    private sealed record Arranged(Flow Flow, string[] Unusable);

    [Theory]
    [MemberData(nameof(FuzzSeeds.Seeds), MemberType = typeof(FuzzSeeds))]
    public async Task Hostile_requests_to_a_flow_get_no_5xx_and_write_no_half_enrollment(int seed)
    {
        var arranged = await app.ArrangeOnceAsync("fuzz-flow", ArrangeAsync);
        var invitation = await InvitationAsync(app, $"fuzz-flow-{seed}", arranged.Flow.Id, singleUse: false);
        var link = $"/if/flow/{Slug}/?itoken={invitation.Id}";
        var hostile = new Hostile(seed);
        var forms = new FormFuzz(hostile);
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var browser = new FuzzBrowser();
        var statuses = new SortedDictionary<int, int>();
        var written = 0;

        for (var round = 0; round < FuzzSeeds.Rounds; round++)
        {
            var since = DateTime.UtcNow.AddSeconds(-1);
            var plansAtStart = (await FuzzCounts.OfAsync(app)).Plans;
            var sent = 0;
            for (var i = 0; i < RequestsPerRound; i++)
            {
                var trace = new FuzzTrace(nameof(FlowExecutorFuzzTests), seed, round, i);
                if (hostile.Chance(0.4) || browser.Stage is null)
                {
                    browser = new FuzzBrowser();
                    await browser.OpenAsync(http, link);
                    sent++;
                }
                var request = hostile.Chance(0.25)
                    ? Get(hostile, browser, link, arranged.Unusable)
                    : Post(hostile, forms, browser, link, $"fz{seed}r{round}n{i}");
                var before = await FuzzCounts.OfAsync(app);
                var usesBefore = await UsesAsync(app, invitation.Id);
                using var response = await http.SendAsync(request.ToMessage());
                sent++;
                browser.Keep(response);
                await FuzzChecks.NoServerErrorAsync(response, request, trace);
                FuzzChecks.RedirectsLocally(response, request, trace);
                statuses[(int)response.StatusCode] = statuses.GetValueOrDefault((int)response.StatusCode) + 1;

                var after = await FuzzCounts.OfAsync(app);
                var users = after.Users - before.Users;
                Assert.True(users is 0 or 1, $"{trace}: {users} users written by\n{request}");
                Assert.True(after.Invitations == before.Invitations, $"{trace}: the invitations changed ({before.Invitations} → {after.Invitations}) by\n{request}");
                Assert.True(after.Events - before.Events <= (users == 1 ? 5 : 2), $"{trace}: {after.Events - before.Events} events for one request\n{request}");
                Assert.True(await UsesAsync(app, invitation.Id) - usesBefore == users, $"{trace}: {users} users written but the invitation used {await UsesAsync(app, invitation.Id) - usesBefore} times by\n{request}");
                if (users == 1)
                {
                    written++;
                    var leaves = response.StatusCode == HttpStatusCode.Redirect || response.Headers.Contains("HX-Redirect");
                    Assert.True(leaves, $"{trace}: a user was written but the answer was {(int)response.StatusCode} for\n{request}");
                }
                Assert.False((int)response.StatusCode >= 400 && users > 0, $"{trace}: {(int)response.StatusCode} but a user was written by\n{request}");
                if (request.CarriesBadBytes)
                    Assert.True((int)response.StatusCode is >= 400 and < 500 && users == 0,
                        $"{trace}: bad bytes got {(int)response.StatusCode} and {users} users for\n{request}");
            }
            await FuzzChecks.BoundedAsync(app, since, new FuzzTrace(nameof(FlowExecutorFuzzTests), seed, round, RequestsPerRound));
            var plans = (await FuzzCounts.OfAsync(app)).Plans - plansAtStart;
            Assert.True(plans <= sent, $"seed {seed}, round {round}: {plans} plans stored by {sent} requests");
        }
        output.WriteLine($"seed {seed}: {FuzzSeeds.Rounds * RequestsPerRound} requests, {written} users written; statuses {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
    }

    /// <summary>A GET of the flow: the link with hostile parameters, a bad token, no token, another slug, a query string of raw escapes.</summary>
    private static FuzzRequest Get(Hostile hostile, FuzzBrowser browser, string link, string[] unusable)
    {
        var path = FlowUrl(Slug);
        var (url, kind) = hostile.Weighted<Func<(string, string)>>(
            (20, () => (link + "&" + Params(hostile, hostile.Between(1, 5)), "link with extra parameters")),
            (25, () => (path + "?itoken=" + FormBody.Escape(hostile.BadToken(unusable)), "bad itoken")),
            (5, () => (path + "?token=" + FormBody.Escape(hostile.BadToken(unusable)), "bad token")),
            (5, () => (path, "no token")),
            (5, () => (link + "&itoken=" + FormBody.Escape(hostile.BadToken(unusable)), "two itokens")),
            (10, () => (path + "?" + hostile.Pick("itoken=%00", "itoken=%FF%FE", "itoken=%C0%AF", "a=%", "%=%", "=&=&=", "itoken", "itoken=&itoken=",
                "itoken=%ED%A0%80", "flow_token=%00", "flow_token=" + new string('f', 3000), "x=%E9", "itoken=" + Uri.EscapeDataString("😀")) , "raw escapes")),
            (5, () => (link + "&" + string.Join("&", Enumerable.Range(0, hostile.Pick(100, 1000)).Select(n => $"p{n}=v")), "many parameters")),
            (3, () => (link + "&pad=" + new string('q', hostile.Pick(7000, 9000, 20_000)), "long query")),
            // No NUL in a path: Kestrel answers 400 for one before the app sees it, and the test server cannot send one.
            (5, () => ("/if/flow/" + FormBody.Escape(hostile.Text().Replace('\0', '0')) + "/?itoken=" + link.Split('=')[1], "hostile slug")),
            (3, () => ("/if/flow/" + hostile.Pick("..%2F..%2Fadmin", "%2e%2e", "fuzz-enrollment%01", "FUZZ-ENROLLMENT", "fuzz-enrollment/extra/path", new string('s', 3000)) + "/", "odd path")),
            (4, () => (path + "?flow_token=" + FormBody.Escape(hostile.Text()), "bad email link"))).Invoke();
        var request = new FuzzRequest(HttpMethod.Get, url, $"GET, {kind}");
        if (hostile.Chance(0.6) && browser.CookieHeader() is { } cookies) request.Headers.Add(("Cookie", cookies));
        if (hostile.Chance(0.3)) request.Headers.Add(("HX-Request", "true"));
        if (hostile.Chance(0.1)) request.Headers.Add(("HX-History-Restore-Request", "true"));
        return request;
    }

    private static string Params(Hostile hostile, int count) => string.Join("&", Enumerable.Range(0, count).Select(_ =>
        FormBody.Escape(hostile.Name(["itoken", "token", "next", "flow_token", "query", "stage"])) + "=" + FormBody.Escape(hostile.Text())));

    /// <summary>A POST of the stage form: the right answers mutated, or random fields, in a random shape, with the browser's state kept, dropped or forged.</summary>
    private static FuzzRequest Post(Hostile hostile, FormFuzz forms, FuzzBrowser browser, string link, string username)
    {
        List<(string Key, string Value)> fields;
        string what;
        if (hostile.Chance(0.7))
        {
            fields = Answers(username, hostile);
            if (hostile.Chance(0.45))
            {
                // One answer hostile, the others right: the value gets past the form to the stages that store it.
                var at = hostile.Between(0, fields.Count - 1);
                fields[at] = (fields[at].Key, hostile.Chance(0.3) ? hostile.Long() : hostile.Text());
                what = $"answers, {fields[at].Key} hostile";
            }
            else
            {
                var changes = forms.Mutate(fields, Keys, hostile.Pick(0, 1, 2, 3));
                what = changes == 0 ? "answers" : $"answers, {changes} mutations";
            }
        }
        else
        {
            fields = forms.Random(Keys);
            what = "random fields";
        }
        var stage = hostile.Weighted((80, browser.Stage), (8, null), (6, hostile.Guid()), (6, hostile.Text()));
        var token = hostile.Weighted((80, browser.Token), (8, null), (6, "CfDJ8" + hostile.Ascii(100)), (6, hostile.Text()));
        if (stage is not null) fields.Insert(hostile.Between(0, fields.Count), ("stage", stage));
        if (token is not null) fields.Add(("__RequestVerificationToken", token));
        var url = hostile.Weighted((70, link), (20, FlowUrl(Slug)), (5, link + "&" + Params(hostile, 2)), (5, FlowUrl(Slug) + "?itoken=" + FormBody.Escape(hostile.Text())));
        var request = forms.Request(url, fields, browser.Token, what);

        // The browser's cookies as they are, without the plan or the antiforgery cookie, forged, or none.
        var cookies = hostile.Weighted<Func<string?>>(
            (75, () => browser.CookieHeader()),
            (7, () => null),
            (6, () => browser.CookieHeader((name, value) => name == FlowPlanStore.CookieName ? null : value)),
            (6, () => browser.CookieHeader((name, value) => name == FlowPlanStore.CookieName ? FormBody.Escape(hostile.Text()) : value)),
            (6, () => browser.CookieHeader((name, value) => name == "enrollment_csrf" ? hostile.Pick("", "garbage", "CfDJ8" + hostile.Ascii(120)) : value))).Invoke();
        if (cookies is not null) request.Headers.Add(("Cookie", cookies));
        return request;
    }

    /// <summary>Answers the prompt stage accepts (a new username each time).</summary>
    private static List<(string Key, string Value)> Answers(string username, Hostile hostile) =>
    [
        ("username", username), ("name", $"Fuzz {username}"), ("email", $"{username}@example.com"), ("password", Password), ("password_repeat", Password),
        ("attributes.age", hostile.Pick("", "42", "-7")), ("attributes.terms", hostile.Pick("on", "", "true")), ("attributes.color", hostile.Pick("red", "green", "")),
        ("attributes.size", hostile.Pick("s", "m", "l")), ("attributes.birthday", "2000-02-29"), ("attributes.meeting", "2026-05-01T10:00"),
        ("attributes.bio", "Line one\r\nLine two"), ("attributes.locale", hostile.Pick("en", "de", "")), ("attributes.source", "browser"),
    ];

    private async Task<Arranged> ArrangeAsync()
    {
        var prompts = PromptStageOf("fuzz-prompts",
            Field("fuzz", "username", PromptType.Username, 0),
            Field("fuzz", "name", order: 1),
            Field("fuzz", "email", PromptType.Email, 2),
            Field("fuzz", "password", PromptType.Password, 3),
            Field("fuzz", "password_repeat", PromptType.Password, 4),
            Field("fuzz", "attributes.age", PromptType.Number, 5, required: false),
            Field("fuzz", "attributes.terms", PromptType.Checkbox, 6, required: false),
            Choice(Field("fuzz", "attributes.color", PromptType.Dropdown, 7, required: false), "red\ngreen\nblue"),
            Choice(Field("fuzz", "attributes.size", PromptType.RadioButtonGroup, 8), "s\nm\nl"),
            Field("fuzz", "attributes.birthday", PromptType.Date, 9, required: false),
            Field("fuzz", "attributes.meeting", PromptType.DateTime, 10, required: false),
            Field("fuzz", "attributes.bio", PromptType.TextArea, 11, required: false),
            Field("fuzz", "attributes.locale", PromptType.AkLocale, 12, required: false),
            Initial(Field("fuzz", "attributes.source", PromptType.Hidden, 13, required: false), "fuzz"),
            Field("fuzz", "fuzz-static", PromptType.Static, 14, required: false));
        var (flow, _) = await FlowAsync(app, Slug,
            [new InvitationStage { Name = "fuzz-invitation" }, prompts, new UserWriteStage { Name = "fuzz-write" }, new UserLoginStage { Name = "fuzz-login" }],
            configureFlow: f => f.Designation = FlowDesignation.Enrollment);
        var other = await app.FlowAsync("fuzz-other", withInvitationStage: true);
        var expired = await InvitationAsync(app, "fuzz-expired", flow.Id, expires: DateTime.UtcNow.AddDays(-1));
        var forOther = await InvitationAsync(app, "fuzz-for-other", other.Id);
        var usedUp = await InvitationAsync(app, "fuzz-used-up", flow.Id, singleUse: true);
        await app.DbAsync(db => db.Invitations.Where(i => i.Id == usedUp.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Uses, 1)));
        return new Arranged(flow, [expired.Id.ToString(), forOther.Id.ToString(), usedUp.Id.ToString()]);
    }

    private static Prompt Choice(Prompt prompt, string choices)
    {
        prompt.Placeholder = choices;
        return prompt;
    }

    private static Prompt Initial(Prompt prompt, string value)
    {
        prompt.InitialValue = value;
        return prompt;
    }
}
