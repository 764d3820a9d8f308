using Enrollment.Infrastructure.FlowExecution.Stages;

namespace Enrollment.Infrastructure.FlowExecution;

public static class FlowExecutionExtensions
{
    public static IServiceCollection AddFlowExecution(this IServiceCollection services)
    {
        services.AddSingleton<FlowDefinitions>();
        services.AddSingleton<PlanLocks>();
        services.AddScoped<FlowPlanStore>();
        services.AddScoped<Features.FlowExecution.RunFlowStep.FlowRunner>();
        services.AddScoped<FlowPlanner>();
        services.AddScoped<PolicyEngine>();
        services.AddScoped<IStageExecutor, InvitationStageExecutor>();
        services.AddScoped<IStageExecutor, PromptStageExecutor>();
        services.AddScoped<IStageExecutor, UserWriteStageExecutor>();
        services.AddScoped<IStageExecutor, UserLoginStageExecutor>();
        services.AddScoped<IStageExecutor, EmailStageExecutor>();
        return services;
    }
}
