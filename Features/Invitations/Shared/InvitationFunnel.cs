using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// How far invitees got, for one invitation or all of them: <b>emailed</b> (recipients whose invitation email was
/// delivered), <b>opened</b> (flows started with the link, <see cref="Invitation.Opens"/>), <b>enrolled</b> (completed
/// enrollments, <see cref="Invitation.Uses"/>). A link shared by hand is opened without being emailed, so the steps
/// need not shrink. Drawn by <c>_Funnel.cshtml</c>.
/// </summary>
public sealed record InvitationFunnel(long Emailed, long Opened, long Enrolled)
{
    public long Largest => Math.Max(Emailed, Math.Max(Opened, Enrolled));

    /// <summary>The funnel of one invitation, or of every invitation when <paramref name="InvitationId"/> is null.</summary>
    public sealed record Query(Guid? InvitationId) : IQuery<InvitationFunnel>;

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, InvitationFunnel>
    {
        public async ValueTask<InvitationFunnel> Handle(Query query, CancellationToken ct)
        {
            var invitations = db.Invitations.AsNoTracking();
            var deliveries = db.InvitationDeliveries.AsNoTracking().Where(d => d.State == DeliveryState.Sent);
            if (query.InvitationId is { } id)
            {
                invitations = invitations.Where(i => i.Id == id);
                deliveries = deliveries.Where(d => d.InvitationId == id);
            }
            // A recipient sent the invitation twice (a resend) counts once.
            var emailed = await deliveries.Select(d => new { d.InvitationId, d.Email }).Distinct().LongCountAsync(ct);
            var counts = await invitations.GroupBy(_ => 1)
                .Select(g => new { Opened = g.Sum(i => (long)i.Opens), Enrolled = g.Sum(i => (long)i.Uses) })
                .SingleOrDefaultAsync(ct);
            return new InvitationFunnel(emailed, counts?.Opened ?? 0, counts?.Enrolled ?? 0);
        }
    }
}
