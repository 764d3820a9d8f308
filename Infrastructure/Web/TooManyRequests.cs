using System.Globalization;
using System.Threading.RateLimiting;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// The answer to a request over its limit: 429 with <c>Retry-After</c>; the API gets DRF's (authentik's) JSON, a page
/// gets the friendly error page (the status-code pages render it for the empty 429), and htmx, which swaps no 4xx,
/// is sent to that page.
/// </summary>
public static class TooManyRequests
{
    public const string ErrorPage = "/error/429/";

    /// <summary>Sets status and headers; writes the body only for the API.</summary>
    public static async ValueTask RejectAsync(HttpContext context, RateLimitLease lease, CancellationToken ct)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? (int)Math.Ceiling(retryAfter.TotalSeconds) : 60;
        seconds = Math.Max(1, seconds);
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        response.Headers.CacheControl = "no-store";
        if (context.Request.Path.StartsWithSegments("/api"))
            await response.WriteAsJsonAsync(new { detail = $"Request was throttled. Expected available in {seconds} seconds." }, ct);
        else if (context.Request.IsHtmx())
            response.Headers["HX-Redirect"] = ErrorPage;
    }
}
