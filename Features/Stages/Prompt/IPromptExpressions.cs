using System.Text.Json.Nodes;
using Enrollment.Domain;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>Evaluates prompt expressions (Infrastructure/Python) with <c>prompt_context</c> and the usual variables.</summary>
public interface IPromptExpressions
{
    /// <returns>One value per expression, in order.</returns>
    Task<IReadOnlyList<PromptExpressionValue>> EvaluateAsync(IReadOnlyList<PromptExpression> expressions, int? userId, PlanContext context, CancellationToken ct);
}
