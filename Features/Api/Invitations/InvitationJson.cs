using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.FlowInstances;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// authentik's <c>Invitation</c> serializer: <c>created_by</c> (a <c>PartialUser</c>; authentik's
/// <c>AnonymousUser</c> for invitations a blueprint or the system made) and <c>flow_obj</c> (the bound flow) are
/// read-only; <c>flow</c> is the flow's pk (written as such too). <c>flow_obj</c> is <c>null</c> when no flow is bound,
/// as authentik's serializer sends it (its schema does not say so).
/// </summary>
public sealed record InvitationJson(
    Guid Pk, string Name, DateTime? Expires, JsonObject FixedData, PartialUserJson CreatedBy, bool SingleUse, Guid? Flow,
    FlowInstanceJson? FlowObj)
{
    /// <summary>Invitations with what their JSON shows loaded.</summary>
    public static IQueryable<Invitation> Source(AppDbContext db) => db.Invitations.AsNoTracking()
        .Include(i => i.CreatedBy)
        .Include(i => i.Flow).ThenInclude(f => f!.Bindings)
        .Include(i => i.Flow).ThenInclude(f => f!.PolicyBindings)
        .AsSplitQuery();

    public static async Task<List<InvitationJson>> OfAsync(AppDbContext db, IReadOnlyList<Invitation> invitations, CancellationToken ct)
    {
        var anonymous = invitations.Any(i => i.CreatedBy is null) ? await AnonymousUser.FindAsync(db, ct) : null;
        var nobody = anonymous is null ? new PartialUserJson(0, AnonymousUser.Username, "", false, null, "", [], PartialUserJson.UidOf(0)) : PartialUserJson.Of(anonymous);
        return invitations.Select(i => new InvitationJson(
            i.Id, i.Name, i.Expires, i.FixedData, i.CreatedBy is { } u ? PartialUserJson.Of(u) : nobody, i.SingleUse, i.FlowId,
            i.Flow is { } f ? FlowInstanceJson.Of(f, "") : null)).ToList();
    }
}
