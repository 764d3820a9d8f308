using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Api;

public static class ApiRegistration
{
    /// <summary>Maps the <c>/api/v3</c> endpoints: API-token authentication, no antiforgery (no cookies), a rate limit per token.</summary>
    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v3").RequireAuthorization(IdentityExtensions.ApiPolicy).DisableAntiforgery()
            .RequireRateLimiting(RateLimitExtensions.Api);
        ApiEndpoints.Map(api, app.ServiceProvider);
        return app;
    }
}
