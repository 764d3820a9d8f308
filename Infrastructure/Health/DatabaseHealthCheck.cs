using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Enrollment.Infrastructure.Health;

/// <summary>Ready when the database answers and has no pending migration (a server must not serve an old schema).</summary>
internal sealed class DatabaseHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        try
        {
            // Resolved here, not injected: on SQLite resolving the context opens its connection, which may be what fails.
            var db = services.GetRequiredService<AppDbContext>();
            if (!await db.Database.CanConnectAsync(ct)) return HealthCheckResult.Unhealthy("The database cannot be reached.");
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).Count();
            return pending == 0
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"The database lacks {pending} migration{(pending == 1 ? "" : "s")}.");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The database cannot be reached.", e);
        }
    }
}
