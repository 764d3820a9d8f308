using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Infrastructure.FlowExecution.Stages;

namespace Enrollment.Infrastructure.Python;

public static class PythonExtensions
{
    /// <summary>Expression policies on the embedded CPython; replaces the evaluator that refuses them.</summary>
    public static IServiceCollection AddPythonPolicies(this IServiceCollection services)
    {
        services.AddSingleton<PythonRuntime>();
        services.AddSingleton<PythonExpressions>();
        services.AddScoped<PolicyInput>();
        services.AddScoped<IPolicyEvaluator, ExpressionPolicyEvaluator>();
        services.AddScoped<IPromptExpressions, PromptExpressionEvaluator>();
        return services;
    }
}
