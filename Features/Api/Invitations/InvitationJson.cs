using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// authentik's <c>Invitation</c> serializer: <c>created_by</c> and <c>flow_obj</c> are read-only summaries;
/// <c>flow</c> is the flow's pk (written as such too).
/// </summary>
public sealed record InvitationJson(
    Guid Pk, string Name, DateTime? Expires, JsonObject FixedData, InvitationCreatorJson? CreatedBy, bool SingleUse, Guid? Flow,
    InvitationFlowJson? FlowObj)
{
    public static readonly Expression<Func<Invitation, InvitationJson>> Projection = i => new InvitationJson(
        i.Id, i.Name, i.Expires, i.FixedData,
        i.CreatedBy != null ? new InvitationCreatorJson(i.CreatedBy.Id, i.CreatedBy.UserName ?? "", i.CreatedBy.Name) : null,
        i.SingleUse, i.FlowId,
        i.Flow != null ? new InvitationFlowJson(i.Flow.Id, i.Flow.Slug, i.Flow.Name, i.Flow.Title, i.Flow.Designation) : null);
}
