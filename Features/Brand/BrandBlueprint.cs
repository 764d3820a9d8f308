using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints.Models;

namespace Enrollment.Features.Brand;

/// <summary>
/// authentik's <c>authentik_brands.brand</c>, the fields Enrollment has: <c>domain</c>, <c>default</c>, the
/// <c>branding_*</c> fields, <c>attributes</c> and Enrollment's own <c>default_locale</c>. authentik's other brand fields
/// (flows, certificates, map tiles…) are accepted by blueprints with a warning and not kept.
/// </summary>
internal static class BrandBlueprint
{
    public const string Name = "authentik_brands.brand";

    public static IBlueprintModel Model() => new BlueprintModel<Domain.Brand>
    {
        Name = Name,
        New = () => new Domain.Brand { Domain = "", Default = false },
        PkField = Keys.Guid<Domain.Brand>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<Domain.Brand>.Text("domain", x => x.Domain, required: true, maxLength: 200),
            Fields<Domain.Brand>.Flag("default", x => x.Default),
            Fields<Domain.Brand>.Text("branding_title", x => x.BrandingTitle, required: true, maxLength: 200),
            Fields<Domain.Brand>.Text("branding_logo", x => x.BrandingLogo, check: BrandAssets.Check),
            Fields<Domain.Brand>.Text("branding_favicon", x => x.BrandingFavicon, check: BrandAssets.Check),
            Fields<Domain.Brand>.Text("branding_custom_css", x => x.BrandingCustomCss, maxLength: BrandAssets.MaxCustomCssLength),
            Fields<Domain.Brand>.Text("branding_default_flow_background", x => x.BrandingDefaultFlowBackground, check: BrandAssets.Check),
            Fields<Domain.Brand>.Text("default_locale", x => x.DefaultLocale, check: CheckLocale),
            Fields<Domain.Brand>.Json("attributes", x => x.Attributes),
        ],
        Ignored = new HashSet<string>
        {
            "branding_map_tiles",
            "flow_authentication", "flow_user_switch", "flow_invalidation", "flow_recovery", "flow_unenrollment", "flow_user_settings",
            "flow_device_code", "flow_lockdown", "flow_request", "default_application", "web_certificate", "client_certificates",
        },
        Required = [["domain"]],
        Identifiers = ["domain"],
    };

    /// <summary>Empty (English) or one of the languages pages come in.</summary>
    public static string? CheckLocale(string locale) =>
        locale.Length == 0 || Languages.Supported.Contains(locale)
            ? null
            : $"Choose one of {string.Join(", ", Languages.Supported)}, or leave it empty.";
}
