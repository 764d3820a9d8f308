using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Deny;

/// <summary>Ends the flow with the stage's message; the plan is dropped, so nothing the flow collected is written.</summary>
internal sealed class DenyStageExecutor : AutomaticStage
{
    public override Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct)
    {
        var message = ((DenyStage)run.Stage).DenyMessage;
        return Task.FromResult<StageOutcome>(new StageOutcome.Deny(string.IsNullOrWhiteSpace(message) ? DenyStage.DefaultMessage : message));
    }
}
