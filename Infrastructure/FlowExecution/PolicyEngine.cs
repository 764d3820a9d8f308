using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.FlowExecution;

public sealed record PolicyResult(bool Passing, IReadOnlyList<string> Messages)
{
    public static readonly PolicyResult Pass = new(true, []);
}

/// <summary>What a policy is asked about: who (the pending user, else the signed-in one) and the plan's context.</summary>
public sealed record PolicyRequest(int? UserId, PlanContext Context);

/// <summary>Evaluates one bound policy (expression policies: Infrastructure/Python). Throws when it cannot answer.</summary>
public interface IPolicyEvaluator
{
    Task<PolicyResult> EvaluateAsync(Policy policy, PolicyRequest request, TimeSpan timeout, CancellationToken ct);
}

/// <summary>
/// authentik's policy engine for a flow or a stage binding: group bindings pass members (of the group or of a
/// group below it), user bindings pass that user, policy bindings ask the evaluator. Disabled bindings are left
/// out, <c>negate</c> flips the result but not the messages, errors count as <c>failure_result</c>, and the mode
/// (<c>any</c>/<c>all</c>) combines them. No bindings: pass.
/// </summary>
public sealed class PolicyEngine(AppDbContext db, IPolicyEvaluator evaluator, ILogger<PolicyEngine> log)
{
    /// <param name="bound">The enabled bindings with their policies, in order (loaded by the caller with what else it needs).</param>
    public async Task<PolicyResult> EvaluateAsync(IReadOnlyList<PolicyBinding> bound, PolicyEngineMode mode, PolicyRequest request, CancellationToken ct)
    {
        if (bound.Count == 0) return PolicyResult.Pass;

        var memberOf = bound.Any(b => b.GroupId is not null) && request.UserId is { } uid ? await GroupsOfAsync(uid, ct) : [];
        var results = new List<PolicyResult>();
        foreach (var binding in bound)
        {
            var result = await EvaluateOneAsync(binding, request, memberOf, ct);
            results.Add(binding.Negate ? result with { Passing = !result.Passing } : result);
        }
        var passing = mode == PolicyEngineMode.All ? results.All(r => r.Passing) : results.Any(r => r.Passing);
        return new PolicyResult(passing, results.SelectMany(r => r.Messages).ToList());
    }

    /// <summary>Policies used directly (a prompt stage's validation policies), with the binding defaults: 30 s, errors fail.</summary>
    public async Task<PolicyResult> EvaluatePoliciesAsync(IReadOnlyList<Policy> list, PolicyEngineMode mode, PolicyRequest request, CancellationToken ct)
    {
        var results = new List<PolicyResult>();
        foreach (var policy in list)
        {
            try { results.Add(await evaluator.EvaluateAsync(policy, request, TimeSpan.FromSeconds(30), ct)); }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.LogWarning(e, "Policy {Policy} failed", policy.Name);
                results.Add(new PolicyResult(false, []));
            }
        }
        if (results.Count == 0) return PolicyResult.Pass;
        var passing = mode == PolicyEngineMode.All ? results.All(r => r.Passing) : results.Any(r => r.Passing);
        return new PolicyResult(passing, results.SelectMany(r => r.Messages).ToList());
    }

    private async Task<PolicyResult> EvaluateOneAsync(PolicyBinding binding, PolicyRequest request, HashSet<Guid> memberOf, CancellationToken ct)
    {
        if (binding.GroupId is { } group) return new(memberOf.Contains(group), []);
        if (binding.UserId is { } user) return new(request.UserId == user, []);
        try
        {
            return await evaluator.EvaluateAsync(binding.Policy!, request, TimeSpan.FromSeconds(binding.Timeout), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.LogWarning(e, "Policy binding {Binding} failed; counting it as {Result}", binding.Id, binding.FailureResult);
            return new(binding.FailureResult, []);
        }
    }

    /// <summary>The user's groups and every group above them: membership of a child group counts for its parents.</summary>
    private async Task<HashSet<Guid>> GroupsOfAsync(int userId, CancellationToken ct)
    {
        var direct = await db.Users.Where(u => u.Id == userId).SelectMany(u => u.Groups.Select(g => g.Id)).ToListAsync(ct);
        if (direct.Count == 0) return [];
        var parents = await db.Groups.AsNoTracking().Select(g => new { g.Id, g.ParentId }).ToDictionaryAsync(g => g.Id, g => g.ParentId, ct);
        var all = new HashSet<Guid>();
        foreach (var start in direct)
            for (Guid? id = start; id is { } current && all.Add(current); id = parents.GetValueOrDefault(current)) { }
        return all;
    }
}
