using AngleSharp.Html.Parser;

namespace Enrollment.Tests.Fuzz;

/// <summary>
/// A browser the fuzz controls completely: its cookies are kept here (not by a handler), so a request can carry
/// them, leave them out, or carry forged ones; the antiforgery token and the flow's stage id are those of the last
/// page it opened.
/// </summary>
public sealed class FuzzBrowser
{
    private static readonly HtmlParser Parser = new();

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);
    public string? Token { get; private set; }
    public string? Stage { get; private set; }

    /// <summary>GETs <paramref name="url"/> as this browser and keeps what the page gives it.</summary>
    public async Task<HttpResponseMessage> OpenAsync(HttpClient http, string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (CookieHeader() is { } cookies) request.Headers.TryAddWithoutValidation("Cookie", cookies);
        var response = await http.SendAsync(request);
        Keep(response);
        var page = await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());
        Token = page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value") ?? Token;
        Stage = page.QuerySelector("#flow-card form input[name=stage]")?.GetAttribute("value") ?? Stage;
        return response;
    }

    /// <summary>Takes the cookies a response sets (a deleted cookie is dropped).</summary>
    public void Keep(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var set)) return;
        foreach (var header in set)
        {
            var pair = header.Split(';')[0];
            var eq = pair.IndexOf('=');
            if (eq <= 0) continue;
            var (name, value) = (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
            if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) Cookies.Remove(name);
            else Cookies[name] = value;
        }
    }

    public string? CookieHeader(Func<string, string, string?>? change = null)
    {
        var pairs = Cookies.Select(c => (c.Key, Value: change is null ? c.Value : change(c.Key, c.Value))).Where(c => c.Value is not null).ToList();
        return pairs.Count == 0 ? null : string.Join("; ", pairs.Select(c => $"{c.Key}={c.Value}"));
    }
}
