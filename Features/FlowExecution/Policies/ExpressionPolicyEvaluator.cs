using System.Diagnostics;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.FlowExecution;

using Enrollment.Infrastructure.Python;
using Enrollment.Infrastructure.Telemetry;
using Enrollment.Features.FlowExecution.Policies;

namespace Enrollment.Features.FlowExecution.Policies;

/// <summary>
/// Runs expression policies for the policy engine. An error or a timeout is logged with the policy's name and line,
/// recorded as a <c>policy_exception</c> event, and thrown as <see cref="PolicyEvaluationException"/> so the binding's
/// <c>failure_result</c> decides; the invitee never sees the error.
/// </summary>
public sealed class ExpressionPolicyEvaluator(
    PythonExpressions python, PolicyInput inputs, IServiceScopeFactory scopes, ILogger<ExpressionPolicyEvaluator> log,
    EnrollmentMetrics metrics) : IPolicyEvaluator
{
    public async Task<PolicyResult> EvaluateAsync(Policy policy, PolicyRequest request, TimeSpan timeout, CancellationToken ct)
    {
        if (policy is not ExpressionPolicy expression) throw new PolicyEvaluationException($"Unsupported policy type for “{policy.Name}”.");
        var started = Stopwatch.GetTimestamp();
        var input = await inputs.BuildAsync(request.UserId, request.Context.Data, ct);
        var result = await python.EvaluateAsync(expression.Expression, input, timeout, inputs.LookupUser, ct);
        metrics.PolicyEvaluated(policy.Name, result switch
        {
            { TimedOut: true } => PolicyOutcome.TimedOut,
            { Error: not null } => PolicyOutcome.Error,
            { Passing: true } => PolicyOutcome.Pass,
            _ => PolicyOutcome.Fail,
        }, started);

        if (result.Error is not null)
        {
            log.LogWarning("Expression policy {Policy} failed at line {Line}: {Error}", policy.Name, result.Line, result.Error);
            await RecordAsync("policy_exception", policy, new JsonObject
            {
                ["message"] = result.Error,
                ["line"] = result.Line,
                ["timed_out"] = result.TimedOut,
            }, ct);
            throw new PolicyEvaluationException(result.Error);
        }
        if (policy.ExecutionLogging)
        {
            await RecordAsync("policy_execution", policy, new JsonObject
            {
                ["result"] = new JsonObject { ["passing"] = result.Passing, ["messages"] = new JsonArray([.. result.Messages.Select(m => (JsonNode)m)]) },
                ["log_messages"] = new JsonArray([.. result.Logs.Select(m => (JsonNode)m)]),
            }, ct);
        }
        return new PolicyResult(result.Passing, result.Messages);
    }

    /// <summary>In a unit of work of its own: the flow's pending changes must not be committed by an audit event.</summary>
    private async Task RecordAsync(string action, Policy policy, JsonObject detail, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = AuditTrail.Model("authentik_policies_expression", policy.Name, policy.Id, "expressionpolicy");
        context["policy"] = context["model"]!.DeepClone();
        context.Remove("model");
        foreach (var (k, v) in detail) context[k] = v?.DeepClone();
        scope.ServiceProvider.GetRequiredService<AuditTrail>().Record(action, context);
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync(ct);
    }
}
