namespace Enrollment.Features.FlowExecution;

/// <summary>What a stage answers when it is shown or submitted.</summary>
public abstract record StageOutcome
{
    /// <summary>Done: the plan moves on to the next stage.</summary>
    public sealed record Continue : StageOutcome;

    /// <summary>The stage needs the invitee: show <paramref name="View"/> (errors included, if any).</summary>
    public sealed record Show(string Partial, object View, bool HasErrors = false) : StageOutcome;

    /// <summary>authentik's <c>stage_invalid</c>: the flow cannot go on; the invitee sees <paramref name="Message"/>.</summary>
    public sealed record Deny(string Message) : StageOutcome;

    /// <summary>
    /// Another request of the same browser took the plan at this stage first (a double submit that reached another
    /// instance): this one wrote nothing and follows where that one went.
    /// </summary>
    public sealed record Superseded : StageOutcome;

    public static readonly Continue Next = new();
}
