using Enrollment.Infrastructure.Email;
using Mediator;

namespace Enrollment.Features.Invitations.QueueInvitationEmails;

public static partial class QueueInvitationEmails
{
    /// <summary>
    /// Hands deliveries a caller saved itself (rows from <see cref="NewDelivery"/>, written in the same transaction as
    /// the invitations they are for: a bulk invitation) to the delivery jobs. Send it after that transaction commits,
    /// so a job never looks for rows that are not there yet.
    /// </summary>
    public sealed record Dispatch(IReadOnlyCollection<Guid> DeliveryIds) : ICommand;

    internal sealed class DispatchHandler(InvitationDeliveryQueue queue) : ICommandHandler<Dispatch>
    {
        public ValueTask<Unit> Handle(Dispatch command, CancellationToken ct)
        {
            queue.Enqueue(command.DeliveryIds);
            return ValueTask.FromResult(Unit.Value);
        }
    }
}
