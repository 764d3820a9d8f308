using Enrollment.Features.Brand.ServeBrandAssets;

namespace Enrollment.Features.Brand;

public static class BrandRegistration
{
    /// <summary>What the brand area adds to the engines: its blueprint model.</summary>
    public static IServiceCollection AddBrand(this IServiceCollection services)
    {
        services.AddSingleton(BrandBlueprint.Model());
        return services;
    }

    /// <summary>The brand's stylesheet and favicon.</summary>
    public static WebApplication UseBrand(this WebApplication app)
    {
        app.MapBrandAssets();
        return app;
    }
}
