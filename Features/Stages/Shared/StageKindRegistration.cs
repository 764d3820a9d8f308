using Enrollment.Features.FlowExecution;
using Enrollment.Infrastructure.Blueprints.Models;

namespace Enrollment.Features.Stages.Shared;

public static class StageKindRegistration
{
    /// <summary>
    /// Registers every <see cref="StageKind"/> of the application (found by type, so a new kind's folder is all it
    /// takes): the descriptor, its executor under the kind's wire name, and its blueprint model.
    /// </summary>
    public static IServiceCollection AddStageKinds(this IServiceCollection services)
    {
        var kinds = typeof(StageKind).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(StageKind)))
            .Select(t => (StageKind)Activator.CreateInstance(t)!);
        foreach (var kind in kinds)
        {
            services.AddSingleton(kind);
            services.AddKeyedScoped(typeof(IStageExecutor), kind.Name, kind.ExecutorType);
            if (kind.LinkType is { } link) services.AddScoped(typeof(IFlowLink), link);
            services.AddSingleton(kind.Blueprint);
            foreach (var model in kind.OtherBlueprints) services.AddSingleton(model);
        }
        services.AddSingleton<StageKinds>();
        return services;
    }
}
