using Enrollment.Domain;

namespace Enrollment.Features.FlowExecution;

/// <summary>One stage of a running plan, as a stage executor sees it; the stage is loaded with what its executor needs.</summary>
public sealed record StageRun(Flow Flow, FlowStageBinding Binding, Stage Stage, FlowPlan Plan, PlanContext Context, HttpContext Http);
