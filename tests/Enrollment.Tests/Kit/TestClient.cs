using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Enrollment.Tests.Kit;

/// <summary>
/// An HttpClient that behaves like a browser with JavaScript off: it GETs a form, takes the antiforgery token
/// from it and posts the fields back, as a person submitting the form would.
/// </summary>
public sealed class TestClient(HttpClient http) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Http { get; } = http;

    public async Task<IHtmlDocument> GetPageAsync(string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await Http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}. {Excerpt(body)}");
        return await Parser.ParseDocumentAsync(body);
    }

    public async Task<string> GetHtmlAsync(string url)
    {
        var response = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>GETs <paramref name="formPage"/>, then posts <paramref name="fields"/> with that page's antiforgery token.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, IEnumerable<KeyValuePair<string, string>> fields, string? action = null)
    {
        var page = await GetPageAsync(formPage);
        var token = AntiforgeryToken(page, formPage, action ?? formPage);
        var all = new List<KeyValuePair<string, string>>(fields) { new("__RequestVerificationToken", token) };
        return await Http.PostAsync(action ?? formPage, new FormUrlEncodedContent(all));
    }

    public Task<HttpResponseMessage> PostFormAsync(string formPage, params (string Key, string Value)[] fields) =>
        PostFormAsync(formPage, fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    /// <summary>
    /// The token of the form that posts to <paramref name="action"/>, as a browser would send it: a form whose action
    /// is the target, or with no action when the target is the page itself. A form without its own token fails here
    /// instead of borrowing another form's (the layout's sign-out form has one).
    /// </summary>
    public static string AntiforgeryToken(IHtmlDocument page, string pageUrl, string action)
    {
        static string PathOf(string url) => Uri.UnescapeDataString(new Uri(new Uri("http://localhost"), url).PathAndQuery);
        var target = PathOf(action);
        var form = page.QuerySelectorAll("form").FirstOrDefault(f =>
            string.Equals(f.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase)
            && (f.GetAttribute("action") is { Length: > 0 } a ? PathOf(a) == target : PathOf(pageUrl) == target));
        if (form is null) return AntiforgeryToken(page);
        return form.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
               ?? throw new Xunit.Sdk.XunitException($"The form posting to {action} has no antiforgery token: " + Excerpt(form.OuterHtml));
    }

    public static string AntiforgeryToken(IHtmlDocument page) =>
        page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
        ?? throw new Xunit.Sdk.XunitException("The page has no antiforgery token: " + Excerpt(page.DocumentElement.OuterHtml));

    public async Task LoginAsync(string username, string password)
    {
        var response = await PostFormAsync("/if/login/", ("Input.Username", username), ("Input.Password", password));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Login as {username} failed: {Excerpt(await response.Content.ReadAsStringAsync())}");
    }

    public static async Task<IHtmlDocument> ParseAsync(HttpResponseMessage response) =>
        await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    /// <summary>The messages shown next to fields and in the summary, as an invitee or admin would read them.</summary>
    public static IReadOnlyList<string> Errors(IHtmlDocument page) =>
        page.QuerySelectorAll(".field-error, .validation-summary-errors li, [role=alert] li, .error[role=alert]")
            .Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).Distinct().ToList();

    public static string Excerpt(string body) => body.Length > 1500 ? body[..1500] + "…" : body;

    public void Dispose() => Http.Dispose();
}
