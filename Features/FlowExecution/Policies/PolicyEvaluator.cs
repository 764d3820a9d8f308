using Enrollment.Domain;

namespace Enrollment.Features.FlowExecution.Policies;

/// <summary>
/// The policy engine's evaluator: hands each policy to the evaluator of its kind, registered keyed by the kind's type
/// (<see cref="FlowExecutionRegistration"/>), so adding a kind adds a registration, not a branch here.
/// </summary>
public sealed class PolicyEvaluator(IServiceProvider services) : IPolicyEvaluator
{
    public Task<PolicyResult> EvaluateAsync(Policy policy, PolicyRequest request, TimeSpan timeout, CancellationToken ct) =>
        (services.GetKeyedService<IPolicyEvaluator>(policy.GetType())
            ?? throw new PolicyEvaluationException($"Unsupported policy type for “{policy.Name}”."))
        .EvaluateAsync(policy, request, timeout, ct);
}
