using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Enrollment.Infrastructure.Health;

/// <summary>
/// authentik's health endpoints: <c>/-/health/live/</c> answers 200 while the process runs; <c>/-/health/ready/</c>
/// answers 200 when the database is reachable and fully migrated and the job storage is reachable, else 503. Both are
/// anonymous and cheap: no session, no antiforgery, no rate limit, no error page.
/// </summary>
public static class HealthExtensions
{
    public const string Prefix = "/-/health";
    public const string LivePath = "/-/health/live/";
    public const string ReadyPath = "/-/health/ready/";
    private const string ReadyTag = "ready";

    /// <summary>How long a readiness check may take before it counts as failed (a probe must not hang on a dead database).</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    public static IServiceCollection AddEnrollmentHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: CheckTimeout)
            .AddCheck<JobStorageHealthCheck>("jobs", tags: [ReadyTag], timeout: CheckTimeout);
        return services;
    }

    public static WebApplication MapEnrollmentHealth(this WebApplication app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false })
            .AllowAnonymous().DisableRateLimiting().WithMetadata(new HealthEndpointMetadata());
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) })
            .AllowAnonymous().DisableRateLimiting().WithMetadata(new HealthEndpointMetadata());
        return app;
    }

    /// <summary>Whether a request is for a health endpoint (they skip the error pages).</summary>
    public static bool IsHealthRequest(this HttpRequest request) => request.Path.StartsWithSegments(Prefix);

    /// <summary>Marks the health endpoints, for middleware that should leave them alone.</summary>
    public sealed class HealthEndpointMetadata;
}
