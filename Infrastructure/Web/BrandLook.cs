using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Infrastructure.Web;

/// <summary>What pages take from the default brand: its title, pictures, stylesheet, footer links and language.</summary>
public sealed record BrandLook(
    string Title, string Logo, string Favicon, string Background, string CustomCss, string DefaultLocale,
    IReadOnlyList<BrandLink> FooterLinks)
{
    public const string DefaultLogo = "/img/logo.svg";
    public const string DefaultFavicon = "/img/icon.svg";

    public static readonly BrandLook Fallback = new("Enrollment", DefaultLogo, DefaultFavicon, "", "", "en", []);

    /// <summary>Changes whenever the stylesheet does, so its address can be cached for ever.</summary>
    public string StyleVersion { get; } = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Background + "\n" + CustomCss)))[..12];

    /// <summary>Whether pages link the brand's stylesheet at all.</summary>
    public bool HasStyle => Background.Length > 0 || CustomCss.Length > 0;

    /// <summary>
    /// The origins the brand's pictures load from, each after a space, for the CSP's <c>img-src</c>; worked out once per
    /// cached brand, not on every page.
    /// </summary>
    public string ImageSources { get; } = string.Concat(new[] { Logo, Favicon, Background }.Select(BrandAssets.OriginOf).OfType<string>().Distinct().Select(o => " " + o));

    public static BrandLook Of(Brand b) => new(
        b.BrandingTitle,
        string.IsNullOrEmpty(b.BrandingLogo) || BrandAssets.Check(b.BrandingLogo) is not null ? DefaultLogo : b.BrandingLogo,
        string.IsNullOrEmpty(b.BrandingFavicon) || BrandAssets.Check(b.BrandingFavicon) is not null ? DefaultFavicon : b.BrandingFavicon,
        BrandAssets.Check(b.BrandingDefaultFlowBackground) is null ? b.BrandingDefaultFlowBackground : "",
        b.BrandingCustomCss,
        Languages.Match(b.DefaultLocale) ?? "en",
        BrandLink.From(b.Attributes["footer_links"] as JsonArray));
}
