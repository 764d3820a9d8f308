using Enrollment.Infrastructure.Blueprints.Models;

namespace Enrollment.Features.Brand;

/// <summary>
/// authentik's <c>authentik_brands.brand</c>, the fields Enrollment has: <c>domain</c>, <c>default</c>,
/// <c>branding_title</c>. authentik's other brand fields (logo, favicon, CSS, flows, certificates…) are accepted by
/// blueprints with a warning and not kept.
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
        ],
        Ignored = new HashSet<string>
        {
            "branding_logo", "branding_favicon", "branding_custom_css", "branding_default_flow_background", "branding_map_tiles",
            "flow_authentication", "flow_user_switch", "flow_invalidation", "flow_recovery", "flow_unenrollment", "flow_user_settings",
            "flow_device_code", "flow_lockdown", "flow_request", "default_application", "web_certificate", "client_certificates", "attributes",
        },
        Required = [["domain"]],
        Identifiers = ["domain"],
    };
}
