namespace Enrollment.Features.FlowExecution;

/// <summary>What happens when a flow reaches a stage of one kind and when its form is posted; registered per kind by its descriptor.</summary>
public interface IStageExecutor
{
    /// <summary>The stage became current. Stages without a form do their work here and continue.</summary>
    Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct);

    /// <summary>The invitee posted the stage's form.</summary>
    Task<StageOutcome> SubmitAsync(StageRun run, IFormCollection form, CancellationToken ct);
}
