using Enrollment.Infrastructure.Blueprints.Models;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Enrollment.Infrastructure.Blueprints;

public static class BlueprintExtensions
{
    /// <summary>The blueprint engine: <see cref="BlueprintImporter"/> (scoped, one DbContext per import).</summary>
    public static IServiceCollection AddBlueprints(this IServiceCollection services)
    {
        services.AddOptions<BlueprintOptions>().BindConfiguration("Blueprints");
        services.TryAddSingleton<ModelRegistry>();
        services.TryAddScoped<BlueprintImporter>();
        services.TryAddSingleton(sp =>
        {
            var root = sp.GetRequiredService<IOptions<BlueprintOptions>>().Value.Root;
            var contentRoot = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new BlueprintFiles(Path.GetFullPath(string.IsNullOrWhiteSpace(root) ? "blueprints" : root, contentRoot));
        });
        return services;
    }
}
