using System.Linq.Expressions;
using Enrollment.Domain;

namespace Enrollment.Features.Api.FlowInstances;

/// <summary>authentik's <c>Flow</c> serializer, the fields Enrollment has.</summary>
public sealed record FlowInstanceJson(
    Guid Pk, string Slug, string Name, string Title, FlowDesignation Designation, FlowAuthentication Authentication,
    PolicyEngineMode PolicyEngineMode, DeniedAction DeniedAction, FlowLayout Layout)
{
    public static readonly Expression<Func<Flow, FlowInstanceJson>> Projection = f =>
        new FlowInstanceJson(f.Id, f.Slug, f.Name, f.Title, f.Designation, f.Authentication, f.PolicyEngineMode, f.DeniedAction, f.Layout);
}
