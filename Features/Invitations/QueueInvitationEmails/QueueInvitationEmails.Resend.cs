using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Email;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.QueueInvitationEmails;

public static partial class QueueInvitationEmails
{
    /// <summary>
    /// One recipient's email again: the delivery starts over (queued, no attempts, no error) and goes to the delivery
    /// jobs again; a success records a new <c>invitation_sent</c> in the name of <see cref="RequestedById"/>.
    /// </summary>
    /// <returns>Null when there is no such delivery of that invitation.</returns>
    public sealed record Resend(Guid InvitationId, Guid DeliveryId, int? RequestedById) : ICommand<ResendOutcome?>;

    public sealed record ResendOutcome(bool Resent, string Message);

    internal sealed class ResendHandler(AppDbContext db, InvitationDeliveryQueue queue, TimeProvider clock) : ICommandHandler<Resend, ResendOutcome?>
    {
        public async ValueTask<ResendOutcome?> Handle(Resend command, CancellationToken ct)
        {
            var delivery = await db.InvitationDeliveries.AsNoTracking()
                .Where(d => d.Id == command.DeliveryId && d.InvitationId == command.InvitationId)
                .Select(d => new { d.Email, d.Invitation })
                .SingleOrDefaultAsync(ct);
            if (delivery is null) return null;
            if (Check(delivery.Invitation, clock.GetUtcNow().UtcDateTime) is { } refused)
                return new ResendOutcome(false, $"Not resent to {delivery.Email}: {PageMessage(refused)}");

            // One conditional UPDATE: of two clicks (or two admins) only one puts the email back in the queue, and
            // an email already queued or being sent is not queued a second time.
            var reset = await db.InvitationDeliveries
                .Where(d => d.Id == command.DeliveryId && d.State != DeliveryState.Queued && d.State != DeliveryState.Sending)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(d => d.State, DeliveryState.Queued)
                    .SetProperty(d => d.Attempts, 0)
                    .SetProperty(d => d.LastError, (string?)null)
                    .SetProperty(d => d.NextAttempt, (DateTime?)null)
                    .SetProperty(d => d.Sent, (DateTime?)null)
                    .SetProperty(d => d.RequestedById, command.RequestedById), ct);
            if (reset == 0) return new ResendOutcome(false, $"The email to {delivery.Email} is already queued.");
            queue.Enqueue([command.DeliveryId]);
            return new ResendOutcome(true, $"The invitation email to {delivery.Email} is queued again.");
        }
    }
}
