using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Events.ExpireEvents;

/// <summary>Deletes events older than the retention (<c>Events:RetentionDays</c>), so the audit log does not grow forever.</summary>
public static class ExpireEvents
{
    /// <summary>The default retention, as authentik's default event retention of 365 days.</summary>
    public const int DefaultRetentionDays = 365;

    /// <summary>Rows per statement: a long delete would hold SQLite's write lock and stall every sign-up meanwhile.</summary>
    public const int Batch = 10_000;

    /// <param name="Now">The job's clock, passed in so tests need no waiting.</param>
    /// <param name="RetentionDays">Events older than this many days go; 0 or less keeps every event.</param>
    public sealed record Command(DateTime Now, int RetentionDays) : ICommand<int>;

    internal sealed class Handler(AppDbContext db) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken ct)
        {
            if (command.RetentionDays <= 0) return 0;
            var cutoff = command.Now.AddDays(-command.RetentionDays);
            var total = 0;
            while (true)
            {
                var oldest = db.Events.Where(e => e.Created < cutoff).OrderBy(e => e.Created).Select(e => e.Id).Take(Batch);
                var deleted = await db.Events.Where(e => oldest.Contains(e.Id)).ExecuteDeleteAsync(ct);
                total += deleted;
                if (deleted < Batch) return total;
            }
        }
    }
}
