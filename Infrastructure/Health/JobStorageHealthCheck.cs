using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Enrollment.Infrastructure.Health;

/// <summary>Ready when Hangfire's storage answers a query (emails and expiry jobs depend on it).</summary>
internal sealed class JobStorageHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct)
    {
        try
        {
            // Hangfire's storage API is synchronous: off the request thread, so the check's timeout still applies.
            await Task.Run(() =>
            {
                using var connection = services.GetRequiredService<JobStorage>().GetConnection();
                if (connection is JobStorageConnection counted) counted.GetSetCount("recurring-jobs");
                else connection.GetAllItemsFromSet("recurring-jobs");
            }, ct).WaitAsync(ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The job storage cannot be reached.", e);
        }
    }
}
