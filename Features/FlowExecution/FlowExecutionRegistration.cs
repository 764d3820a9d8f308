using Enrollment.Domain;
using Enrollment.Features.FlowExecution.ExpireFlowPlans;
using Enrollment.Features.FlowExecution.Policies;
using Enrollment.Features.Stages.Prompt;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.FlowExecution;
using Hangfire;

namespace Enrollment.Features.FlowExecution;

public static class FlowExecutionRegistration
{
    /// <summary>The flow engine, the stage kinds it runs and the evaluation of policies (each kind's evaluator keyed by its type).</summary>
    public static IServiceCollection AddFlowExecution(this IServiceCollection services)
    {
        services.AddSingleton<IFlowDefinitionLoader, FlowDefinitionLoader>();
        services.AddSingleton<FlowDefinitions>();
        services.AddSingleton<PlanLocks>();
        services.AddScoped<FlowPlanStore>();
        services.AddScoped<FlowRunner>();
        services.AddScoped<FlowPlanner>();
        services.AddScoped<PolicyEngine>();
        services.AddScoped<PolicyInput>();
        services.AddScoped<IPolicyEvaluator, PolicyEvaluator>();
        services.AddKeyedScoped<IPolicyEvaluator, ExpressionPolicyEvaluator>(typeof(ExpressionPolicy));
        services.AddKeyedScoped<IPolicyEvaluator, PasswordPolicyEvaluator>(typeof(PasswordPolicy));
        services.AddScoped<IPromptExpressions, PromptExpressionEvaluator>();
        services.AddStageKinds();
        return services;
    }

    /// <summary>Expired plans are deleted every hour (stable id: restarts and several processes update one job).</summary>
    public static WebApplication UseFlowExecution(this WebApplication app)
    {
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<ExpireFlowPlansJob>(ExpireFlowPlansJob.Id, j => j.RunAsync(CancellationToken.None), "17 * * * *");
        return app;
    }
}
