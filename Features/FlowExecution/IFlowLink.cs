using Enrollment.Features.FlowExecution.RunFlowStep;

namespace Enrollment.Features.FlowExecution;

/// <summary>
/// A link a stage sends out of the flow and expects back (the email stage's <c>?flow_token=…</c>). Opening it (GET)
/// only asks for a click, since mail scanners open links too; the click (POST) acts. Registered by the stage kind.
/// </summary>
public interface IFlowLink
{
    /// <summary>The query and form key that carries the link's token.</summary>
    string Key { get; }

    Task<StepResult> OpenAsync(string slug, string token, CancellationToken ct);

    /// <summary>The click; a redirect it answers leaves the page that showed the token in its URL (htmx too).</summary>
    Task<StepResult> ConfirmAsync(string slug, string token, CancellationToken ct);
}
