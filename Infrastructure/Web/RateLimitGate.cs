using System.Threading.RateLimiting;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// Limits that depend on the request's form, which the rate-limiting middleware (running before anything reads the
/// body) cannot see: an email stage's link is confirmed with its token in the posted form. Same rate limiter, same
/// settings, applied by a filter once the form is read.
/// </summary>
public sealed class RateLimitGate(RateLimitSettings settings) : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext> _emailLink = PartitionedRateLimiter.Create<HttpContext, string>(context =>
        settings.Enabled
            ? RateLimitPartition.GetFixedWindowLimiter(RateLimitPolicy.Key("email-link", context), _ => RateLimitPolicy.Options(settings.EmailLink))
            : RateLimitPartition.GetNoLimiter(""));

    /// <summary>A permit of <c>RateLimits:EmailLink</c> for this client; dispose the lease.</summary>
    public RateLimitLease EmailLink(HttpContext context) => _emailLink.AttemptAcquire(context);

    public void Dispose() => _emailLink.Dispose();
}
