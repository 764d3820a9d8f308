namespace Enrollment.Features.FlowExecution;

/// <summary>For stages that have no form: a POST to them just runs them again.</summary>
public abstract class AutomaticStage : IStageExecutor
{
    public abstract Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct);

    /// <inheritdoc cref="IStageExecutor.Replayable"/>
    public virtual bool Replayable => false;
    public Task<StageOutcome> SubmitAsync(StageRun run, IFormCollection form, CancellationToken ct) => ShowAsync(run, ct);
}
