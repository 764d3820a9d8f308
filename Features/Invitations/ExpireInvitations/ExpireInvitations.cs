using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Telemetry;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.ExpireInvitations;

/// <summary>
/// Deletes invitations that expired more than <c>Invitations:KeepExpiredDays</c> ago, with their deliveries and uses.
/// Expiry is enforced at use time anyway; until then an expired invitation stays listed with its history.
/// </summary>
public static class ExpireInvitations
{
    /// <summary>How long an expired invitation is kept by default.</summary>
    public const int DefaultKeepExpiredDays = 30;

    /// <param name="Now">The job's clock, passed in so tests need no waiting.</param>
    /// <param name="KeepExpiredDays">Invitations expired for longer than this go; 0 (or less) deletes them once expired.</param>
    public sealed record Command(DateTime Now, int KeepExpiredDays = DefaultKeepExpiredDays) : ICommand<int>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit, EnrollmentMetrics metrics) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken ct)
        {
            // A large backlog touches index pages all over an SQLite file: a bigger cache for this connection, given
            // back after the commit (bench/expiry.sh: 1,000,000 rows).
            await using var cache = await db.Database.EnlargeForBulkWorkAsync(ct);
            return await db.RetryingAsync(async _ =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // One set-based statement, whatever the number of rows; deliveries and uses of these invitations cascade. A backlog
                // of most of the table rebuilds its indexes instead of updating them row by row.
                var cutoff = command.Now.AddDays(-Math.Max(0, command.KeepExpiredDays));
                var deleted = await db.DeleteMostlyAsync(db.Invitations.Where(Invitation.ExpiredAt(cutoff)), ct);
                if (deleted > 0)
                {
                    audit.Record("invitation_expired", new JsonObject { ["count"] = deleted });
                    await db.SaveChangesAsync(ct);
                }
                await tx.CommitAsync(ct);
                metrics.InvitationsExpired(deleted);
                return deleted;
            }, ct);
        }
    }
}
