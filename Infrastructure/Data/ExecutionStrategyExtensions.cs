using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Data;

public static class ExecutionStrategyExtensions
{
    /// <summary>
    /// Runs <paramref name="attempt"/> — which begins, and commits or rolls back, its own transaction — inside the
    /// engine's execution strategy, so that on PostgreSQL and SQL Server a transient failure anywhere in it starts the
    /// whole unit of work again (EF refuses a user transaction outside the strategy). Before a second try the change
    /// tracker is emptied: <paramref name="attempt"/> loads what it changes itself. On SQLite it runs once.
    /// </summary>
    public static async Task<T> RetryingAsync<T>(this AppDbContext db, Func<CancellationToken, Task<T>> attempt, CancellationToken ct)
    {
        var first = true;
        return await db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            if (!first) db.ChangeTracker.Clear();
            first = false;
            return await attempt(token);
        }, ct);
    }

    public static Task RetryingAsync(this AppDbContext db, Func<CancellationToken, Task> attempt, CancellationToken ct) =>
        db.RetryingAsync(async token => { await attempt(token); return true; }, ct);
}
