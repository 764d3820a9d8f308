using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Infrastructure.Web;

/// <summary>One of the brand's footer links (authentik's <c>footer_links</c>: <c>{"name", "href"}</c>).</summary>
public sealed record BrandLink(string Name, string Href)
{
    /// <summary>The well-formed entries, at most ten; an address that is not a path or http(s) is left out, never linked.</summary>
    public static IReadOnlyList<BrandLink> From(JsonArray? links) =>
        links is null
            ? []
            : links.OfType<JsonObject>()
                .Select(l => (Name: (l["name"] as JsonValue)?.TryGetValue<string>(out var n) == true ? n : null,
                              Href: (l["href"] as JsonValue)?.TryGetValue<string>(out var h) == true ? h : null))
                .Where(l => !string.IsNullOrWhiteSpace(l.Name) && !string.IsNullOrWhiteSpace(l.Href) && BrandAssets.Check(l.Href) is null)
                .Take(10)
                .Select(l => new BrandLink(l.Name!.Length > 100 ? l.Name[..100] : l.Name, l.Href!))
                .ToList();
}
