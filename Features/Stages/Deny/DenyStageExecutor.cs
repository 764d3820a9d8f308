using Enrollment.Features.FlowExecution;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;

namespace Enrollment.Features.Stages.Deny;

/// <summary>Ends the flow with the stage's message; the plan is dropped, so nothing the flow collected is written.</summary>
internal sealed class DenyStageExecutor(IStringLocalizer<FlowTexts> t) : AutomaticStage
{
    public override Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct)
    {
        // The admin's own message as written; the default one (authentik's, which a new stage starts with) translated.
        var message = ((DenyStage)run.Stage).DenyMessage;
        return Task.FromResult<StageOutcome>(new StageOutcome.Deny(string.IsNullOrWhiteSpace(message) || message == DenyStage.DefaultMessage ? t[DenyStage.DefaultMessage] : message));
    }
}
