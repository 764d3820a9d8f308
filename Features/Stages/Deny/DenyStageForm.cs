using System.ComponentModel.DataAnnotations;
using Enrollment.Features.Stages.Shared;

namespace Enrollment.Features.Stages.Deny;

public sealed class DenyStageForm : StageForm
{
    public const int MaxMessageLength = 1000;

    /// <summary>Empty: authentik's default, "Flow was denied".</summary>
    [StringLength(MaxMessageLength, ErrorMessage = "Use at most 1000 characters.")]
    public string? DenyMessage { get; set; } = DenyStage.DefaultMessage;
}
