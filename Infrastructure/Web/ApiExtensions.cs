namespace Enrollment.Infrastructure.Web;

public static partial class ApiExtensions
{
    /// <summary>Maps the <c>/api/v3</c> endpoints; each slice under Features/Api adds its own in a partial method.</summary>
    public static IEndpointRouteBuilder MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v3").RequireAuthorization(Identity.IdentityExtensions.ApiPolicy).DisableAntiforgery();
        Enrollment.Features.Api.ApiEndpoints.Map(api);
        return app;
    }
}
