using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Features.Invitations.QueueInvitationEmails.QueueInvitationEmails;

namespace Enrollment.Features.Invitations.InvitationDetails;

/// <summary>
/// The invitation's email deliveries, one row per recipient: the table on the page, and <c>?handler=Deliveries</c>,
/// the same table alone (<c>_Deliveries</c>) for htmx, which reloads it while emails are on their way.
/// </summary>
public sealed partial class InvitationDetails
{
    public const int MaxDeliveriesShown = 500;

    public DeliveriesView DeliveryTable { get; private set; } = null!;

    /// <summary>Why the invitation cannot be emailed now (the send form says so instead of showing itself), or null.</summary>
    public Refusal? SendRefused => DeliveryTable.Refused;

    public async Task<IActionResult> OnGetDeliveriesAsync()
    {
        var deliveries = await sender.Send(new DeliveriesQuery(Id));
        if (deliveries is null) return NotFound();
        return Partial("_Deliveries", deliveries);
    }

    public sealed record DeliveriesQuery(Guid InvitationId) : IQuery<DeliveriesView?>;

    /// <param name="Refused">Set when the invitation cannot be emailed (no flow, expired, used up): no resending.</param>
    public sealed record DeliveriesView(Guid InvitationId, IReadOnlyList<DeliveryRow> Rows, int Total, Refusal? Refused)
    {
        public bool CanResend => Refused is null;

        /// <summary>Some email is still on its way: the table reloads itself (htmx) until none is.</summary>
        public bool Pending => Rows.Any(r => r.IsPending);
    }

    public sealed record DeliveryRow(Guid Id, string Email, IReadOnlyList<string> Copies, DeliveryState State, int Attempts,
        string? LastError, DateTime? LastAttempt, DateTime? NextAttempt, DateTime? Sent, bool IsReminder = false)
    {
        public bool IsPending => State is DeliveryState.Queued or DeliveryState.Sending or DeliveryState.Retrying;
        /// <summary>A resend while the email is queued or being sent would only send it twice.</summary>
        public bool CanResend => State is DeliveryState.Sent or DeliveryState.Retrying or DeliveryState.Failed;
    }

    internal sealed class DeliveriesHandler(AppDbContext db, TimeProvider clock) : IQueryHandler<DeliveriesQuery, DeliveriesView?>
    {
        public async ValueTask<DeliveriesView?> Handle(DeliveriesQuery query, CancellationToken ct)
        {
            var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == query.InvitationId, ct);
            if (invitation is null) return null;
            var deliveries = db.InvitationDeliveries.AsNoTracking().Where(d => d.InvitationId == query.InvitationId);
            var total = await deliveries.CountAsync(ct);
            var rows = await deliveries.OrderByDescending(d => d.Created).ThenBy(d => d.Email).Take(MaxDeliveriesShown)
                .Select(d => new { d.Id, d.Email, d.Cc, d.Bcc, d.State, d.Attempts, d.LastError, d.LastAttempt, d.NextAttempt, d.Sent, d.IsReminder })
                .ToListAsync(ct);
            var refused = Check(invitation, clock.GetUtcNow().UtcDateTime);
            return new DeliveriesView(query.InvitationId,
                rows.Select(d => new DeliveryRow(d.Id, d.Email, Copies(d.Cc, "cc").Concat(Copies(d.Bcc, "bcc")).ToList(), d.State, d.Attempts,
                    d.LastError, d.LastAttempt, d.NextAttempt, d.Sent, d.IsReminder)).ToList(),
                total, refused);
        }

        private static IEnumerable<string> Copies(System.Text.Json.Nodes.JsonArray list, string kind) =>
            list.Select(n => n?.GetValue<string>()).OfType<string>().Select(a => $"{kind} {a}");
    }
}
