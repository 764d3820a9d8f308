using System.Threading.RateLimiting;
using Enrollment.Infrastructure.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// A named limit of ASP.NET Core's rate limiter: a fixed window per client address (the connection's remote address,
/// which forwarded-headers processing sets to the client's behind a trusted proxy), or per API token.
/// </summary>
internal sealed class RateLimitPolicy(string name, RateLimitRule rule, bool enabled, bool postsOnly = false, bool perToken = false)
    : IRateLimiterPolicy<string>
{
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null; // the limiter's own OnRejected answers

    public RateLimitPartition<string> GetPartition(HttpContext context)
    {
        if (!enabled || (postsOnly && !HttpMethods.IsPost(context.Request.Method)))
            return RateLimitPartition.GetNoLimiter("");
        return RateLimitPartition.GetFixedWindowLimiter(Key(name, context, perToken), _ => Options(rule));
    }

    public static FixedWindowRateLimiterOptions Options(RateLimitRule rule) => new()
    {
        PermitLimit = Math.Max(1, rule.PermitLimit),
        Window = rule.Window > TimeSpan.Zero ? rule.Window : TimeSpan.FromMinutes(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>The client: its API token's digest (never the key itself), else its address.</summary>
    public static string Key(string name, HttpContext context, bool perToken = false)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        if (perToken && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && authorization.Length > "Bearer ".Length)
            return $"{name}:token:{ApiTokenAuthenticationHandler.Digest(authorization["Bearer ".Length..].Trim())}";
        return $"{name}:ip:{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
    }
}
