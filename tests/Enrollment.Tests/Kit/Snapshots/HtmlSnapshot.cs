using System.Globalization;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;

namespace Enrollment.Tests.Kit.Snapshots;

/// <summary>
/// Turns a page into a string that only changes when the page does: its title and its <c>&lt;main&gt;</c>, with the
/// antiforgery tokens, asset hashes, GUIDs, the current date and time and the port replaced by placeholders.
/// </summary>
public static partial class HtmlSnapshot
{
    public static async Task<string> OfAsync(TestClient client, string url)
    {
        var page = await client.GetPageAsync(url);
        return Normalize(page);
    }

    public static string Normalize(IHtmlDocument page)
    {
        foreach (var token in page.QuerySelectorAll("input[name=__RequestVerificationToken]"))
            token.SetAttribute("value", "{antiforgery}");
        // A QR code's size and modules follow the GUIDs in its link; its own tests check what it encodes.
        foreach (var qr in page.QuerySelectorAll("svg.qr-code"))
        {
            qr.SetAttribute("viewBox", "{qr-size}");
            qr.InnerHtml = "{qr-modules}";
        }
        var main = page.QuerySelector("main") ?? throw new Xunit.Sdk.XunitException("The page has no <main>: " + TestClient.Excerpt(page.DocumentElement.OuterHtml));
        var text = $"<title>{page.Title}</title>\n{main.OuterHtml}\n";

        text = AssetVersion().Replace(text, "?v={hash}");
        text = Port().Replace(text, "${host}");

        // The same GUID gets the same placeholder, numbered in order of appearance, so links still show which row they go to.
        var guids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        text = Guid_().Replace(text, m =>
        {
            if (!guids.TryGetValue(m.Value, out var name)) guids[m.Value] = name = $"{{guid-{guids.Count + 1}}}";
            return name;
        });

        // Dates and times near now were made by the run (creation times); the fixed dates tests arrange stay visible.
        text = DateTime_().Replace(text, m =>
            DateTime.TryParse(m.Value.Replace(" UTC", ""), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var when)
            && Math.Abs((when - DateTime.UtcNow).TotalDays) < 7 ? "{now}" : m.Value);

        return text.Replace("\r\n", "\n");
    }

    [GeneratedRegex(@"\?v=[A-Za-z0-9_\-]+")]
    private static partial Regex AssetVersion();

    [GeneratedRegex(@"(?<host>\blocalhost|127\.0\.0\.1):\d{2,5}")]
    private static partial Regex Port();

    [GeneratedRegex(@"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex Guid_();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}| UTC)?)?")]
    private static partial Regex DateTime_();
}
