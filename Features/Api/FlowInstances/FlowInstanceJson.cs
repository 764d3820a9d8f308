using Enrollment.Domain;

namespace Enrollment.Features.Api.FlowInstances;

/// <summary>
/// authentik's <c>Flow</c> serializer. <c>policybindingmodel_ptr_id</c> is the pk (authentik's flows inherit from its
/// policy-binding model); <c>stages</c> and <c>policies</c> are the bound stages and policies in order;
/// <c>cache_count</c> is 0 (plans are not cached); <c>background</c> is the flow's own background (none: the brand's).
/// </summary>
public sealed record FlowInstanceJson(
    Guid Pk, Guid PolicybindingmodelPtrId, string Name, string Slug, string Title, FlowDesignation Designation,
    string Background, string BackgroundUrl, object? BackgroundThemedUrls, IReadOnlyList<Guid> Stages, IReadOnlyList<Guid> Policies,
    int CacheCount, PolicyEngineMode PolicyEngineMode, bool CompatibilityMode, string ExportUrl, FlowLayout Layout,
    DeniedAction DeniedAction, FlowAuthentication Authentication)
{
    public static FlowInstanceJson Of(Flow f, string backgroundUrl) => new(
        f.Id, f.Id, f.Name, f.Slug, f.Title, f.Designation, "", backgroundUrl, null,
        f.Bindings.OrderBy(b => b.Order).Select(b => b.StageId).ToList(),
        f.PolicyBindings.Where(p => p.PolicyId is not null).OrderBy(p => p.Order).Select(p => p.PolicyId!.Value).ToList(),
        0, f.PolicyEngineMode, false, $"/api/v3/flows/instances/{Uri.EscapeDataString(f.Slug)}/export/", f.Layout, f.DeniedAction, f.Authentication);
}
