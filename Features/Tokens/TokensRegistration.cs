namespace Enrollment.Features.Tokens;

public static class TokensRegistration
{
    /// <summary>What the tokens area adds: its blueprint model and the keys shown once.</summary>
    public static IServiceCollection AddTokens(this IServiceCollection services)
    {
        services.AddSingleton(TokenBlueprint.Model());
        services.AddSingleton<TokenKeys>();
        return services;
    }
}
