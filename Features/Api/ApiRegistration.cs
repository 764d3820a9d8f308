using Enrollment.Infrastructure.Identity;

namespace Enrollment.Features.Api;

public static class ApiRegistration
{
    /// <summary>Maps the <c>/api/v3</c> endpoints: API-token authentication, no antiforgery (no cookies).</summary>
    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v3").RequireAuthorization(IdentityExtensions.ApiPolicy).DisableAntiforgery();
        ApiEndpoints.Map(api);
        return app;
    }
}
