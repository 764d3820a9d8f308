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
/// as authentik's serializer sends it (its schema does not say so). Additions to authentik's shape: <c>groups</c> (pks of
/// the groups enrolled users join; a group deleted since is left out), <c>email</c> (the one address that may enroll, or
/// null), <c>email_domains</c>, <c>max_uses</c> (null = no limit; <c>single_use</c> is <c>max_uses == 1</c>), and
/// read-only <c>uses</c>, <c>last_used</c>, <c>opens</c> (flows started with the link) and <c>status</c> (<c>active</c>,
/// <c>expired</c>, <c>used_up</c>).
/// </summary>
public sealed record InvitationJson(
    Guid Pk, string Name, DateTime? Expires, JsonObject FixedData, PartialUserJson CreatedBy, bool SingleUse, Guid? Flow,
    FlowInstanceJson? FlowObj, IReadOnlyList<Guid> Groups, string? Email, IReadOnlyList<string> EmailDomains)
{
    public int? MaxUses { get; init; }
    public int Uses { get; init; }
    public DateTime? LastUsed { get; init; }
    public int Opens { get; init; }
    public required string Status { get; init; }

    /// <summary>Invitations with what their JSON shows loaded.</summary>
    public static IQueryable<Invitation> Source(AppDbContext db) => db.Invitations.AsNoTracking()
        .Include(i => i.CreatedBy)
        .Include(i => i.Flow).ThenInclude(f => f!.Bindings)
        .Include(i => i.Flow).ThenInclude(f => f!.PolicyBindings)
        .Include(i => i.Groups)
        .AsSplitQuery();

    public static async Task<List<InvitationJson>> OfAsync(AppDbContext db, IReadOnlyList<Invitation> invitations, DateTime now, CancellationToken ct)
    {
        var anonymous = invitations.Any(i => i.CreatedBy is null) ? await AnonymousUser.FindAsync(db, ct) : null;
        var nobody = anonymous is null ? new PartialUserJson(0, AnonymousUser.Username, "", false, null, "", [], PartialUserJson.UidOf(0)) : PartialUserJson.Of(anonymous);
        var named = invitations.SelectMany(i => i.Groups).Select(g => g.GroupId).Distinct().ToList();
        var existing = named.Count == 0 ? [] : (await db.Groups.AsNoTracking().Where(g => named.Contains(g.Id)).Select(g => g.Id).ToListAsync(ct)).ToHashSet();
        return invitations.Select(i => new InvitationJson(
            i.Id, i.Name, i.Expires, i.FixedData, i.CreatedBy is { } u ? PartialUserJson.Of(u) : nobody, i.SingleUse, i.FlowId,
            i.Flow is { } f ? FlowInstanceJson.Of(f, "") : null,
            i.Groups.Select(g => g.GroupId).Where(existing.Contains).Order().ToList(), i.Email, i.EmailDomains)
        {
            MaxUses = i.MaxUses, Uses = i.Uses, LastUsed = i.LastUsed, Opens = i.Opens, Status = Wire.Name(i.StatusAt(now)),
        }).ToList();
    }
}
