using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Flows.Shared;

/// <summary>The fields of a flow as the create and edit forms post them (authentik's names as values).</summary>
public class FlowForm
{
    [Required(ErrorMessage = "Enter a name.")]
    [StringLength(200)]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "Enter a slug; it becomes part of the flow's address.")]
    [StringLength(50)]
    [Slug]
    public string Slug { get; set; } = "";

    [StringLength(200)]
    public string? Title { get; set; }

    [Required, WireEnum(typeof(FlowDesignation))]
    public string Designation { get; set; } = "enrollment";

    [Required, WireEnum(typeof(FlowAuthentication))]
    public string Authentication { get; set; } = "none";

    [Required, WireEnum(typeof(DeniedAction))]
    public string DeniedAction { get; set; } = "message_continue";

    [Required, WireEnum(typeof(FlowLayout))]
    public string Layout { get; set; } = "stacked";

    [Required, WireEnum(typeof(PolicyEngineMode))]
    public string PolicyEngineMode { get; set; } = "any";

    public void ApplyTo(Flow flow)
    {
        flow.Name = Name.Trim();
        flow.Slug = Slug.Trim();
        flow.Title = Title?.Trim() ?? "";
        flow.Designation = Wire.Parse<FlowDesignation>(Designation);
        flow.Authentication = Wire.Parse<FlowAuthentication>(Authentication);
        flow.DeniedAction = Wire.Parse<DeniedAction>(DeniedAction);
        flow.Layout = Wire.Parse<FlowLayout>(Layout);
        flow.PolicyEngineMode = Wire.Parse<PolicyEngineMode>(PolicyEngineMode);
    }

    public static T From<T>(Flow flow) where T : FlowForm, new() => new()
    {
        Name = flow.Name,
        Slug = flow.Slug,
        Title = flow.Title,
        Designation = Wire.Name(flow.Designation),
        Authentication = Wire.Name(flow.Authentication),
        DeniedAction = Wire.Name(flow.DeniedAction),
        Layout = Wire.Name(flow.Layout),
        PolicyEngineMode = Wire.Name(flow.PolicyEngineMode),
    };
}
