using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Enrollment.Tests.Kit;

public static partial class FlowKit
{
    // ---- what the flow card shows ----

    /// <summary>The hidden <c>stage</c> field of the form on the page (the current binding id).</summary>
    public static string StageId(IHtmlDocument page) =>
        page.QuerySelector("#flow-card form input[name=stage]")?.GetAttribute("value")
        ?? throw new Xunit.Sdk.XunitException("The page shows no stage form: " + TestClient.Excerpt(page.DocumentElement.OuterHtml));

    /// <summary>The denial the invitee reads in the flow card (<c>#flow-card [role=alert] .error</c>), or null when there is none.</summary>
    public static string? Denial(IHtmlDocument page) =>
        page.QuerySelector("#flow-card [role=alert] .error")?.TextContent.Trim();

    public static void AssertDenied(IHtmlDocument page, string message)
    {
        var alert = page.QuerySelector("#flow-card [role=alert]");
        Assert.True(alert is not null, "No alert in the flow card: " + TestClient.Excerpt(page.DocumentElement.OuterHtml));
        Assert.Contains("Request has been denied.", alert!.TextContent);
        Assert.Equal(message, Denial(page));
        Assert.Null(page.QuerySelector("#flow-card form")); // nothing more to fill in
    }

    public static string? InputValue(IHtmlDocument page, string name) =>
        page.QuerySelector($"#flow-card [name='{name}']")?.GetAttribute("value");

    /// <summary>The form control of the flow card named <paramref name="name"/>; fails the test when there is none.</summary>
    public static IElement Control(IHtmlDocument page, string name) =>
        page.QuerySelector($"#flow-card [name='{name}']") ?? throw new Xunit.Sdk.XunitException($"No control named {name}: {TestClient.Excerpt(page.DocumentElement.OuterHtml)}");

    // ---- walking a flow ----

    /// <summary>The guide's prompt answers: username, name, email, password and its repeat.</summary>
    public static (string, string)[] Answers(string username, string? name = null, string? email = null) =>
    [
        ("username", username), ("name", name ?? $"Name of {username}"), ("email", email ?? $"{username}@example.com"),
        ("password", Password), ("password_repeat", Password),
    ];

    /// <summary>Posts the stage form shown on <paramref name="page"/> (which was loaded from <paramref name="url"/>) as a browser would.</summary>
    public static Task<HttpResponseMessage> SubmitAsync(this TestClient client, string url, IHtmlDocument page, params (string Key, string Value)[] fields)
    {
        var all = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)).ToList();
        all.Add(new("stage", StageId(page)));
        all.Add(new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)));
        return client.Http.PostAsync(url, new FormUrlEncodedContent(all));
    }

    /// <summary>GETs the current stage of <paramref name="url"/> and submits it.</summary>
    public static async Task<HttpResponseMessage> SubmitAsync(this TestClient client, string url, params (string Key, string Value)[] fields)
    {
        var page = await client.GetPageAsync(url);
        return await client.SubmitAsync(url, page, fields);
    }

    /// <summary>
    /// Opens <paramref name="link"/> and fills the prompt stage with <paramref name="answers"/>; the POST runs the stages
    /// without a form that follow (user write, user login). Returns its response: a redirect out of the flow when the
    /// flow is done, a denial page, or — when a stage with a form follows — the GET of that stage.
    /// </summary>
    public static async Task<HttpResponseMessage> EnrollAsync(this TestClient client, string link, params (string Key, string Value)[] answers)
    {
        var page = await client.GetPageAsync(link);
        var flowUrl = FlowPath(link);
        var posted = await client.SubmitAsync(link, page, answers);
        return posted.StatusCode == HttpStatusCode.Redirect && posted.Headers.Location?.OriginalString == flowUrl
            ? await client.Http.GetAsync(flowUrl)
            : posted;
    }

    /// <summary>Like <see cref="EnrollAsync"/> and asserts the flow ended at the user interface.</summary>
    public static async Task EnrollToTheEndAsync(this TestClient client, string link, params (string Key, string Value)[] answers)
    {
        var done = await client.EnrollAsync(link, answers);
        done.AssertRedirect("/if/user/");
    }

    /// <summary>Runs the flow from its first stage: submits <paramref name="answers"/> to each stage in turn and returns the last page.</summary>
    public static async Task<IHtmlDocument> WalkStagesAsync(TestClient client, string url, params (string, string)[][] answers)
    {
        var page = await client.GetPageAsync(url);
        foreach (var stage in answers)
            page = await PageAfterAsync(client, await client.SubmitAsync(url, page, stage));
        return page;
    }

    /// <summary>
    /// Opens <paramref name="link"/> as an anonymous browser and submits every stage form it is shown: each field
    /// with the answer given for it, else with what the page holds (a pre-filled value). Stops when the flow
    /// redirects out of itself, and returns that redirect and the stage pages seen.
    /// </summary>
    public static async Task<(HttpResponseMessage Done, List<IHtmlDocument> Pages)> WalkAsync(TestClient client, string link, IReadOnlyDictionary<string, string> answers)
    {
        var flowPath = FlowPath(link);
        var url = link;
        var pages = new List<IHtmlDocument>();
        var response = await client.Http.GetAsync(url);
        for (var step = 0; step < 20; step++)
        {
            if (response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther)
            {
                var location = response.Headers.Location!.OriginalString;
                if (!location.StartsWith(flowPath, StringComparison.Ordinal)) return (response, pages);
                url = location;
                response = await client.Http.GetAsync(url);
                continue;
            }
            var page = await PageOf(response);
            if (Denial(page) is { } denied) throw new Xunit.Sdk.XunitException($"The flow was denied at step {step}: {denied}");
            var errors = TestClient.Errors(page);
            if (pages.Count > 0 && errors.Count > 0) throw new Xunit.Sdk.XunitException($"The stage refused the answers: {string.Join(" | ", errors)}");
            pages.Add(page);
            var names = page.QuerySelectorAll("#flow-card form [name]").Select(e => e.GetAttribute("name")!)
                .Where(n => n is not "stage" and not "__RequestVerificationToken").Distinct().ToList();
            var fields = names.Select(n => (n, answers.TryGetValue(n, out var v) ? v : InputValue(page, n) ?? "")).ToArray();
            response = await client.SubmitAsync(url, page, fields);
        }
        throw new Xunit.Sdk.XunitException("The flow did not end within 20 steps.");
    }

    /// <summary>Answers for <see cref="WalkAsync"/>: username and the password twice, name and email when given.</summary>
    public static Dictionary<string, string> Fill(string username, string? name = null, string? email = null)
    {
        var answers = new Dictionary<string, string> { ["username"] = username, ["password"] = Password, ["password_repeat"] = Password };
        if (name is not null) answers["name"] = name;
        if (email is not null) answers["email"] = email;
        return answers;
    }

    /// <summary>Follows redirects (as a browser would) and returns every response on the way, the last one not a redirect.</summary>
    public static async Task<List<HttpResponseMessage>> FollowAsync(TestClient client, HttpResponseMessage response)
    {
        var chain = new List<HttpResponseMessage> { response };
        while (chain[^1].StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.Found && chain.Count < 10)
        {
            var location = chain[^1].Headers.Location!;
            chain.Add(await client.Http.GetAsync(location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString));
        }
        return chain;
    }

    /// <summary>The page a browser ends on after <paramref name="response"/>, following its redirects.</summary>
    public static async Task<IHtmlDocument> PageAfterAsync(TestClient client, HttpResponseMessage response)
    {
        var chain = await FollowAsync(client, response);
        return await TestClient.ParseAsync(chain[^1]);
    }

    public static async Task<IHtmlDocument> PageOf(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {TestClient.Excerpt(body)}");
        return new AngleSharp.Html.Parser.HtmlParser().ParseDocument(body);
    }

    /// <summary>A client whose cookies live in <paramref name="cookies"/>, so they can be inspected, dropped or carried to another server.</summary>
    public static TestClient ClientWithCookies(this EnrollmentApp app, CookieContainer cookies) =>
        new(app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies)));
}
