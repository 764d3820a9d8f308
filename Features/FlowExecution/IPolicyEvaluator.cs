using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

using Enrollment.Infrastructure.FlowExecution;

namespace Enrollment.Features.FlowExecution;

/// <summary>Evaluates one bound policy (expression policies: Infrastructure/Python). Throws when it cannot answer.</summary>
public interface IPolicyEvaluator
{
    Task<PolicyResult> EvaluateAsync(Policy policy, PolicyRequest request, TimeSpan timeout, CancellationToken ct);
}
