using Enrollment.Domain;
using Hangfire;

namespace Enrollment.Infrastructure.Email;

/// <summary>
/// Hands invitation deliveries (rows already saved as <see cref="DeliveryState.Queued"/>) to background jobs.
/// Job storage manages a few hundred jobs a second, so each job carries a batch of ids, not one recipient.
/// </summary>
public sealed class InvitationDeliveryQueue(IBackgroundJobClient jobs)
{
    public const int BatchSize = 100;

    public void Enqueue(IEnumerable<Guid> deliveryIds)
    {
        foreach (var batch in deliveryIds.Chunk(BatchSize))
            jobs.Enqueue<InvitationDeliveryJob>(j => j.SendAsync(batch, CancellationToken.None));
    }
}
