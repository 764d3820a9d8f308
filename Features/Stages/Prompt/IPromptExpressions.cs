using System.Text.Json.Nodes;
using Enrollment.Domain;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>A prompt's <c>placeholder</c> or <c>initial_value</c> text that is a Python expression.</summary>
public sealed record PromptExpression(Prompt Prompt, string Field, string Source)
{
    public const string Placeholder = "placeholder";
    public const string InitialValue = "initial_value";
}

/// <summary>What one prompt expression gave; <see cref="Ok"/> false when it failed (the failure is logged and recorded).</summary>
public sealed record PromptExpressionValue(bool Ok, JsonNode? Value);

/// <summary>Evaluates prompt expressions (Infrastructure/Python) with <c>prompt_context</c> and the usual variables.</summary>
public interface IPromptExpressions
{
    /// <returns>One value per expression, in order.</returns>
    Task<IReadOnlyList<PromptExpressionValue>> EvaluateAsync(IReadOnlyList<PromptExpression> expressions, int? userId, PlanContext context, CancellationToken ct);
}
