using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Telemetry;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.ExpireInvitations;

/// <summary>Deletes expired invitations. Expiry is enforced at use time anyway; this keeps the table small.</summary>
public static class ExpireInvitations
{
    public sealed record Command(DateTime Now) : ICommand<int>;

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
                // One set-based statement, whatever the number of rows; deliveries of these invitations cascade. A backlog
                // of most of the table rebuilds its indexes instead of updating them row by row.
                var deleted = await db.DeleteMostlyAsync(db.Invitations.Where(Invitation.ExpiredAt(command.Now)), ct);
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
