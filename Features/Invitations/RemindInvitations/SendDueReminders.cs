using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Email;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.RemindInvitations;

/// <summary>
/// Hands the reminders whose day has come to the delivery jobs — or cancels them: when the recipient has enrolled
/// since the invitation was sent (an account with their address joined after it), when the invitation has expired
/// or is used up. A deleted invitation takes its reminders with it. Each reminder leaves <c>Scheduled</c> by one
/// conditional UPDATE, so of two job runs (two instances, a restart) only one queues it: a reminder is never sent
/// twice; from <c>Queued</c> on, the delivery job's own guarantees apply.
/// </summary>
public static class SendDueReminders
{
    public const int Batch = 1000;

    /// <returns>How many reminders were queued and how many cancelled.</returns>
    public sealed record Command(DateTime Now) : ICommand<(int Queued, int Cancelled)>;

    internal sealed class Handler(AppDbContext db, InvitationDeliveryQueue queue, ILookupNormalizer normalizer)
        : ICommandHandler<Command, (int Queued, int Cancelled)>
    {
        public async ValueTask<(int Queued, int Cancelled)> Handle(Command command, CancellationToken ct)
        {
            var now = command.Now;
            var due = await db.InvitationDeliveries.AsNoTracking()
                .Where(d => d.IsReminder && d.State == DeliveryState.Scheduled && d.NextAttempt <= now)
                .OrderBy(d => d.NextAttempt).Take(Batch)
                .Select(d => new { d.Id, d.Email, d.Created, d.Invitation })
                .ToListAsync(ct);
            // Who has an account now, and since when: one query for the batch.
            var addresses = due.Select(d => normalizer.NormalizeEmail(d.Email)).Distinct().ToList();
            var joined = (await db.Users.AsNoTracking().Where(u => u.NormalizedEmail != null && addresses.Contains(u.NormalizedEmail))
                    .Select(u => new { u.NormalizedEmail, u.DateJoined }).ToListAsync(ct))
                .ToLookup(u => u.NormalizedEmail!, u => u.DateJoined);
            var queued = new List<Guid>();
            var cancelled = 0;
            foreach (var d in due)
            {
                // The invitation's own rules (Domain), so "used up" follows max uses too.
                var reason = d.Invitation.IsExpired(now) ? "The invitation expired before the reminder was due."
                    : d.Invitation.IsUsedUp ? "The invitation was used before the reminder was due."
                    : joined[normalizer.NormalizeEmail(d.Email)].Any(at => at >= d.Created)
                        ? "The recipient enrolled before the reminder was due."
                        : null;
                var moved = await db.InvitationDeliveries
                    .Where(x => x.Id == d.Id && x.State == DeliveryState.Scheduled)
                    .ExecuteUpdateAsync(u => u
                        .SetProperty(x => x.State, reason is null ? DeliveryState.Queued : DeliveryState.Cancelled)
                        .SetProperty(x => x.NextAttempt, (DateTime?)null)
                        .SetProperty(x => x.LastError, reason), ct);
                if (moved != 1) continue; // another run took it
                if (reason is null) queued.Add(d.Id);
                else cancelled++;
            }
            queue.Enqueue(queued);
            return (queued.Count, cancelled);
        }
    }
}
