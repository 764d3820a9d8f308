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
        services.TryAddScoped<BlueprintInstances>();
        services.AddHostedService<BlueprintWatcher>();
        services.TryAddSingleton(sp =>
        {
            var root = sp.GetRequiredService<IOptions<BlueprintOptions>>().Value.Root;
            var contentRoot = sp.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new BlueprintFiles(BlueprintFiles.RootFor(root, contentRoot));
        });
        return services;
    }

    /// <summary>
    /// At start, inside the start-up lock: the blueprint files are discovered as instances and those new or changed
    /// are applied (the default ones on a first start only, see <see cref="DefaultBlueprints"/>).
    /// </summary>
    /// <returns>What was applied: file paths relative to the blueprints folder, and names of instances without a file.</returns>
    public static async Task<IReadOnlyList<string>> DiscoverBlueprintsAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BlueprintInstances>().DiscoverAsync(ct);
    }
}
