namespace Enrollment.Features.FlowExecution;

/// <summary>What happens when a flow reaches a stage of one kind and when its form is posted; registered per kind by its descriptor.</summary>
public interface IStageExecutor
{
    /// <summary>The stage became current. Stages without a form do their work here and continue.</summary>
    Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct);

    /// <summary>
    /// Reaching this stage changes nothing outside the plan (no email sent, no user written, nobody signed in), so a
    /// plan that got no further than it can be planned again from the same request instead of being stored.
    /// </summary>
    bool Replayable => false;

    /// <summary>The invitee posted the stage's form.</summary>
    Task<StageOutcome> SubmitAsync(StageRun run, IFormCollection form, CancellationToken ct);
}
