using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Features.Stages.Prompt;
using Enrollment.Features.Stages.Email;

using Enrollment.Features.FlowExecution;

using Enrollment.Infrastructure.Python;
using Enrollment.Features.FlowExecution.Policies;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>
/// Prompt <c>placeholder_expression</c> / <c>initial_value_expression</c>, as authentik's property mappings: the text
/// is a Python expression with <c>prompt_context</c> (the plan's <c>prompt_data</c>), <c>context</c> (the plan
/// context), <c>user</c>/<c>request</c> (the pending user, else the signed-in one) and the usual helpers in scope.
/// A failure (error, timeout, no Python) is logged, recorded as a <c>property_mapping_exception</c> event with the
/// prompt, the field and the line, and gives no value: the field shows empty rather than the expression's source,
/// and the invitee never sees the error.
/// </summary>
public sealed class PromptExpressionEvaluator(
    PythonExpressions python, PolicyInput inputs, IServiceScopeFactory scopes, ILogger<PromptExpressionEvaluator> log) : IPromptExpressions
{
    /// <summary>A prompt expression renders a form: it gets less time than a policy binding's default 30 s.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<PromptExpressionValue>> EvaluateAsync(
        IReadOnlyList<PromptExpression> expressions, int? userId, PlanContext context, CancellationToken ct)
    {
        if (expressions.Count == 0) return [];
        var promptContext = context.Data[PlanContext.PromptDataKey] as JsonObject ?? [];
        var input = await inputs.BuildAsync(userId, context.Data, ct, promptContext);
        var values = new List<PromptExpressionValue>(expressions.Count);
        foreach (var expression in expressions)
        {
            var result = await python.EvaluateAsync(expression.Source, input, Timeout, inputs.LookupUser, ct);
            if (result.Error is null)
            {
                values.Add(new PromptExpressionValue(true, result.Value));
                continue;
            }
            var p = expression.Prompt;
            log.LogWarning("The {Field} expression of prompt {Prompt} failed at line {Line}: {Error}", expression.Field, p.Name, result.Line, result.Error);
            await RecordAsync(expression, result, ct);
            values.Add(new PromptExpressionValue(false, null));
        }
        return values;
    }

    /// <summary>In a unit of work of its own, like the policy events: the flow's pending changes are not committed with it.</summary>
    private async Task RecordAsync(PromptExpression expression, ExpressionResult result, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var p = expression.Prompt;
        var context = AuditTrail.Model("authentik_stages_prompt", p.Name, p.Id, "prompt");
        context["prompt"] = context["model"]!.DeepClone();
        context.Remove("model");
        context["field"] = expression.Field;
        context["expression"] = expression.Source;
        context["message"] = result.Error;
        context["line"] = result.Line;
        context["timed_out"] = result.TimedOut;
        scope.ServiceProvider.GetRequiredService<AuditTrail>().Record("property_mapping_exception", context);
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync(ct);
    }
}
