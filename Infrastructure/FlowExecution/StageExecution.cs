using Enrollment.Domain;
using Microsoft.AspNetCore.Http;

namespace Enrollment.Infrastructure.FlowExecution;

/// <summary>One stage of a running plan, as a stage executor sees it; the stage is loaded with what its executor needs.</summary>
public sealed record StageRun(Flow Flow, FlowStageBinding Binding, Stage Stage, FlowPlan Plan, PlanContext Context, HttpContext Http);

/// <summary>What a stage answers when it is shown or submitted.</summary>
public abstract record StageOutcome
{
    /// <summary>Done: the plan moves on to the next stage.</summary>
    public sealed record Continue : StageOutcome;

    /// <summary>The stage needs the invitee: show <paramref name="View"/> (errors included, if any).</summary>
    public sealed record Show(string Partial, object View, bool HasErrors = false) : StageOutcome;

    /// <summary>authentik's <c>stage_invalid</c>: the flow cannot go on; the invitee sees <paramref name="Message"/>.</summary>
    public sealed record Deny(string Message) : StageOutcome;

    public static readonly Continue Next = new();
}

public interface IStageExecutor
{
    StageKind Kind { get; }

    /// <summary>The stage became current. Stages without a form do their work here and continue.</summary>
    Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct);

    /// <summary>The invitee posted the stage's form.</summary>
    Task<StageOutcome> SubmitAsync(StageRun run, IFormCollection form, CancellationToken ct);
}

/// <summary>For stages that have no form: a POST to them just runs them again.</summary>
public abstract class AutomaticStage : IStageExecutor
{
    public abstract StageKind Kind { get; }
    public abstract Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct);
    public Task<StageOutcome> SubmitAsync(StageRun run, IFormCollection form, CancellationToken ct) => ShowAsync(run, ct);
}
