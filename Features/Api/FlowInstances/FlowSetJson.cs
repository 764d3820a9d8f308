using Enrollment.Domain;

namespace Enrollment.Features.Api.FlowInstances;

/// <summary>authentik's <c>FlowSet</c>: a flow as stages list the flows they are bound to.</summary>
public sealed record FlowSetJson(
    Guid Pk, Guid PolicybindingmodelPtrId, string Name, string Slug, string Title, FlowDesignation Designation, string BackgroundUrl,
    PolicyEngineMode PolicyEngineMode, bool CompatibilityMode, string ExportUrl, FlowLayout Layout, DeniedAction DeniedAction)
{
    public static FlowSetJson Of(Flow f, string backgroundUrl) => new(
        f.Id, f.Id, f.Name, f.Slug, f.Title, f.Designation, backgroundUrl, f.PolicyEngineMode, false,
        $"/api/v3/flows/instances/{Uri.EscapeDataString(f.Slug)}/export/", f.Layout, f.DeniedAction);
}
