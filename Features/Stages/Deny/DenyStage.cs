using Enrollment.Domain;

namespace Enrollment.Features.Stages.Deny;

/// <summary>authentik's deny stage: the flow ends here with <see cref="DenyMessage"/>, and nothing is written.</summary>
public class DenyStage : Stage
{
    public const string DefaultMessage = "Flow was denied";

    public string DenyMessage { get; set; } = DefaultMessage;
}
