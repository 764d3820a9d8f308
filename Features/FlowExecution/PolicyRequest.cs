using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

using Enrollment.Infrastructure.FlowExecution;

namespace Enrollment.Features.FlowExecution;

/// <summary>What a policy is asked about: who (the pending user, else the signed-in one) and the plan's context.</summary>
public sealed record PolicyRequest(int? UserId, PlanContext Context);
