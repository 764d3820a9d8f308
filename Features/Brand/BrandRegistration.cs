namespace Enrollment.Features.Brand;

public static class BrandRegistration
{
    /// <summary>What the brand area adds to the engines: its blueprint model.</summary>
    public static IServiceCollection AddBrand(this IServiceCollection services)
    {
        services.AddSingleton(BrandBlueprint.Model());
        return services;
    }
}
