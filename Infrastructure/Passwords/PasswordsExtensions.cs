namespace Enrollment.Infrastructure.Passwords;

public static class PasswordsExtensions
{
    /// <summary>Password checks: zxcvbn, the Have I Been Pwned client (<c>Passwords:*</c>) and the checker combining them.</summary>
    public static IServiceCollection AddPasswords(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<PasswordSettings>(configuration.GetSection(PasswordSettings.Section));
        // Its own deadline (HibpTimeout) bounds each look-up; the client's must not cut in first.
        services.AddHttpClient<PwnedPasswords>(c =>
        {
            c.Timeout = Timeout.InfiniteTimeSpan;
            c.DefaultRequestHeaders.UserAgent.ParseAdd("Enrollment-password-check");
        });
        services.AddScoped<PasswordChecker>();
        return services;
    }
}
