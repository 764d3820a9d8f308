using System.Text.Json.Nodes;

namespace Enrollment.Features.Api.Brands;

/// <summary>
/// authentik's <c>Brand</c> serializer, the fields Enrollment has (the others are optional in the schema), and
/// Enrollment's own <c>default_locale</c>.
/// </summary>
public sealed record BrandJson(
    Guid BrandUuid, string Domain, bool Default, string BrandingTitle, string BrandingLogo, string BrandingFavicon,
    string BrandingCustomCss, string BrandingDefaultFlowBackground, string DefaultLocale, JsonObject Attributes)
{
    public static BrandJson Of(Domain.Brand b) => new(
        b.Id, b.Domain, b.Default, b.BrandingTitle, b.BrandingLogo, b.BrandingFavicon, b.BrandingCustomCss,
        b.BrandingDefaultFlowBackground, b.DefaultLocale, b.Attributes);
}
