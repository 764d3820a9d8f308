namespace Enrollment.Features.FlowExecution.RunFlowStep;

/// <summary>What one GET or POST of a flow ends in.</summary>
public abstract record StepResult
{
    /// <summary>A stage that needs the invitee; <paramref name="BindingId"/> goes back with the form to catch stale posts.</summary>
    /// <param name="Step">Which of the plan's stages with a form this is (from 1), and of how many: "Step 2 of 3".</param>
    public sealed record Stage(string Title, string Partial, object View, Guid BindingId, int Step = 1, int Steps = 1) : StepResult;

    /// <summary>The flow cannot go on (stage invalid, denied by policy, unusable invitation).</summary>
    /// <param name="Status">The HTTP status of the page (an unusable email link is a 4xx).</param>
    public sealed record Denied(string Title, string Message, int Status = 200) : StepResult;

    /// <param name="Flash">A message for the next page, e.g. "Successfully logged in!".</param>
    /// <param name="Navigate">The whole page changes, also for htmx (the page showed a token in its URL).</param>
    public sealed record Redirect(string Url, string? Flash = null, bool Navigate = false) : StepResult;

    public sealed record NotFound : StepResult;
}
