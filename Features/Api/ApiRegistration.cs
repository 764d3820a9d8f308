using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Api;

public static class ApiRegistration
{
    /// <summary>Our OpenAPI document (ASP.NET Core's generation), limited to the <c>/api/v3</c> endpoints.</summary>
    public static IServiceCollection AddApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.ShouldInclude = d => d.RelativePath?.StartsWith("api/v3/", StringComparison.Ordinal) == true;
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "Enrollment";
                document.Info.Description = "authentik's /api/v3 operations that Enrollment implements, under authentik's operation ids.";
                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// Maps the <c>/api/v3</c> endpoints: API-token authentication, no antiforgery (no cookies), a rate limit per token;
    /// and the OpenAPI document at <c>/api/v3/schema/</c>, public as authentik's is.
    /// </summary>
    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v3").RequireAuthorization(IdentityExtensions.ApiPolicy).DisableAntiforgery()
            .RequireRateLimiting(RateLimitExtensions.Api);
        ApiEndpoints.Map(api, app.ServiceProvider);
        app.MapOpenApi("/api/v3/schema/").AllowAnonymous().RequireRateLimiting(RateLimitExtensions.Api);
        return app;
    }
}
