using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

using Enrollment.Infrastructure.FlowExecution;

namespace Enrollment.Features.FlowExecution;

/// <summary>
/// authentik's policy engine for a flow or a stage binding: group bindings pass members (of the group or of a
/// group below it), user bindings pass that user, policy bindings ask the evaluator. Disabled bindings are left
/// out, <c>negate</c> flips the result but not the messages, errors and timeouts count as <c>failure_result</c>
/// (as given: authentik does not negate it), and the mode (<c>any</c>/<c>all</c>) combines them. No bindings: pass.
/// </summary>
public sealed class PolicyEngine(AppDbContext db, IPolicyEvaluator evaluator, ILogger<PolicyEngine> log)
{
    /// <param name="bound">The enabled bindings with their policies, in order (loaded by the caller with what else it needs).</param>
    public async Task<PolicyResult> EvaluateAsync(IReadOnlyList<PolicyBinding> bound, PolicyEngineMode mode, PolicyRequest request, CancellationToken ct)
    {
        if (bound.Count == 0) return PolicyResult.Pass;

        var memberOf = bound.Any(b => b.GroupId is not null) && request.UserId is { } uid ? await GroupsOfAsync(uid, ct) : [];
        var results = new List<PolicyResult>();
        foreach (var binding in bound) results.Add(await EvaluateOneAsync(binding, request, memberOf, ct));
        return Combine(results, mode);
    }

    private static PolicyResult Combine(List<PolicyResult> results, PolicyEngineMode mode)
    {
        var passing = mode == PolicyEngineMode.All ? results.All(r => r.Passing) : results.Any(r => r.Passing);
        return new PolicyResult(passing, results.SelectMany(r => r.Messages).ToList(), !passing && results.Any(r => r.Errored && !r.Passing));
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
                log.LogWarning("Policy {Policy} could not be evaluated: {Error}", policy.Name, e.Message);
                results.Add(new PolicyResult(false, [], Errored: true));
            }
        }
        return results.Count == 0 ? PolicyResult.Pass : Combine(results, mode);
    }

    private async Task<PolicyResult> EvaluateOneAsync(PolicyBinding binding, PolicyRequest request, HashSet<Guid> memberOf, CancellationToken ct)
    {
        PolicyResult result;
        if (binding.GroupId is { } group) result = new(memberOf.Contains(group), []);
        else if (binding.UserId is { } user) result = new(request.UserId == user, []);
        else
        {
            try
            {
                result = await evaluator.EvaluateAsync(binding.Policy!, request, TimeSpan.FromSeconds(binding.Timeout), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The evaluator has logged and recorded the details (policy_exception); here only what counts.
                log.LogWarning("Policy binding {Binding} ({Policy}) could not be evaluated ({Error}); counting it as {Result}",
                    binding.Id, binding.Policy?.Name, e.Message, binding.FailureResult);
                return new(binding.FailureResult, [], Errored: true);
            }
        }
        return binding.Negate ? result with { Passing = !result.Passing } : result;
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
