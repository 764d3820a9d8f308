using System.Diagnostics;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Passwords;
using Enrollment.Infrastructure.Telemetry;

namespace Enrollment.Features.FlowExecution.Policies;

/// <summary>
/// Runs a password policy as authentik's: the password is the one entered under <c>password_field</c> (the form's
/// own, see <see cref="PolicyRequest.Passwords"/>), else a plain value of that key in <c>prompt_data</c> or the context;
/// without one the policy fails with "Password not set in context". A stored password is only a hash, so a policy bound
/// to a flow or a stage binding sees a password only where one is given in clear (its test, say): bind it to a prompt
/// stage as a validation policy to check what the invitee types.
/// </summary>
public sealed class PasswordPolicyEvaluator(PasswordChecker checker, IServiceScopeFactory scopes, ILogger<PasswordPolicyEvaluator> log,
    EnrollmentMetrics metrics) : IPolicyEvaluator
{
    public const string NotSet = "Password not set in context";

    public async Task<PolicyResult> EvaluateAsync(Policy policy, PolicyRequest request, TimeSpan timeout, CancellationToken ct)
    {
        var p = (PasswordPolicy)policy;
        var started = Stopwatch.GetTimestamp();
        var password = PasswordOf(p.PasswordField, request);
        if (password is null)
        {
            log.LogWarning("Password policy {Policy}: no password under {Field} in the request", policy.Name, p.PasswordField);
            metrics.PolicyEvaluated(policy.Name, PolicyOutcome.Fail, started);
            return new PolicyResult(false, [NotSet]);
        }
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        PasswordVerdict verdict;
        try
        {
            verdict = await checker.CheckAsync(p, password, UserInputs(request), deadline.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            metrics.PolicyEvaluated(policy.Name, PolicyOutcome.TimedOut, started);
            throw new PolicyEvaluationException($"The password policy “{policy.Name}” timed out.");
        }
        metrics.PolicyEvaluated(policy.Name, verdict.Passing ? PolicyOutcome.Pass : PolicyOutcome.Fail, started);
        if (verdict.BreachCheckSkipped) await RecordAsync("policy_exception", p, new JsonObject
        {
            ["message"] = "Have I Been Pwned could not be reached; the breach check was skipped.",
        }, ct);
        if (policy.ExecutionLogging) await RecordAsync("policy_execution", p, new JsonObject
        {
            ["result"] = new JsonObject { ["passing"] = verdict.Passing, ["messages"] = new JsonArray([.. verdict.Messages.Select(m => (JsonNode)m)]) },
            ["score"] = verdict.Score,
            ["breaches"] = verdict.Breaches,
        }, ct);
        return new PolicyResult(verdict.Passing, verdict.Messages);
    }

    private static string? PasswordOf(string field, PolicyRequest request)
    {
        if (request.Passwords?.TryGetValue(field, out var typed) == true) return typed;
        return Plain(request.Context.Data[PlanContext.PromptDataKey] is JsonObject data ? data[field] : null) ?? Plain(request.Context.Data[field]);
    }

    /// <summary>A value given in clear: not a stored hash, not the mask expressions see instead of one.</summary>
    private static string? Plain(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) && text != PasswordValue.Mask ? text : null;

    /// <summary>What the person entered about themselves: a password made of it is easy to guess for whoever knows them.</summary>
    private static IEnumerable<string> UserInputs(PolicyRequest request)
    {
        if (request.Context.Data[PlanContext.PromptDataKey] is not JsonObject data) yield break;
        foreach (var key in new[] { "username", "name", "email" })
            if (data[key] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0 && text != PasswordValue.Mask) yield return text;
    }

    /// <summary>In a unit of work of its own: the flow's pending changes must not be committed by an audit event.</summary>
    private async Task RecordAsync(string action, PasswordPolicy policy, JsonObject detail, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var context = AuditTrail.Model(policy.AuthentikApp, policy.Name, policy.Id, policy.AuthentikModel);
        context["policy"] = context["model"]!.DeepClone();
        context.Remove("model");
        foreach (var (k, v) in detail) context[k] = v?.DeepClone();
        scope.ServiceProvider.GetRequiredService<AuditTrail>().Record(action, context);
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().SaveChangesAsync(ct);
    }
}
