using System.Text.Json.Nodes;

namespace Enrollment.Domain;

public class Brand
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Domain { get; set; } = "enrollment-default";
    public bool Default { get; set; } = true;
    public string BrandingTitle { get; set; } = "Enrollment";
    /// <summary>The logo above every flow card: a path on this server or an http(s) address; empty is Enrollment's own.</summary>
    public string BrandingLogo { get; set; } = "";
    /// <summary>The browser tab's icon, as <see cref="BrandingLogo"/>.</summary>
    public string BrandingFavicon { get; set; } = "";
    /// <summary>A stylesheet added after ours on every page (served as <c>/-/brand/style.css</c>, so the CSP allows it).</summary>
    public string BrandingCustomCss { get; set; } = "";
    /// <summary>The image behind flow pages whose flow sets none, as <see cref="BrandingLogo"/>.</summary>
    public string BrandingDefaultFlowBackground { get; set; } = "";
    /// <summary>The language of pages when neither the address, the user nor the browser asks for one we have.</summary>
    public string DefaultLocale { get; set; } = "";
    /// <summary>authentik's free-form attributes; <c>footer_links</c> (<c>[{"name", "href"}]</c>) are shown under flow cards.</summary>
    public JsonObject Attributes { get; set; } = [];
    /// <summary>Where external users go after enrollment; they may not use the internal user interface.</summary>
    public string? DefaultApplicationUrl { get; set; }
}
