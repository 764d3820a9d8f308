using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// ASP.NET Core's rate limiter with Enrollment's named limits (<see cref="RateLimitSettings"/>). Pages and endpoints
/// name the limit they take part in (<c>[EnableRateLimiting(RateLimitExtensions.SignIn)]</c>); a request over it gets
/// <see cref="TooManyRequests"/>.
/// </summary>
public static class RateLimitExtensions
{
    public const string SignIn = "sign-in";
    public const string InitialSetup = "initial-setup";
    public const string Flow = "flow";
    public const string Api = "api";

    public static IServiceCollection AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = RateLimitSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddSingleton<RateLimitGate>();
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(SignIn, new RateLimitPolicy(SignIn, settings.SignIn, settings.Enabled, postsOnly: true));
            o.AddPolicy(InitialSetup, new RateLimitPolicy(InitialSetup, settings.InitialSetup, settings.Enabled));
            o.AddPolicy(Flow, new RateLimitPolicy(Flow, settings.Flow, settings.Enabled, postsOnly: true));
            o.AddPolicy(Api, new RateLimitPolicy(Api, settings.Api, settings.Enabled, perToken: true));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, ct) => TooManyRequests.RejectAsync(context.HttpContext, context.Lease, ct);
        });
        return services;
    }
}
