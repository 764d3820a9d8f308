using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.FlowExecution;

using Enrollment.Infrastructure.Python;
using Enrollment.Features.FlowExecution.Policies;

namespace Enrollment.Features.FlowExecution.Policies;

/// <summary>An expression policy failed to give an answer (error, timeout, no Python): its binding's failure result applies.</summary>
public sealed class PolicyEvaluationException(string message) : Exception(message);
