using Enrollment.Infrastructure.Web;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;

using Enrollment.Infrastructure.FlowExecution;

namespace Enrollment.Features.FlowExecution;

public sealed record PlanResult(FlowPlan? Plan, string? Denied, string? RedirectTo = null);
