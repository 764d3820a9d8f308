using System.ComponentModel.DataAnnotations;
using Enrollment.Features.Stages.Shared;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Email;

public sealed class EmailStageForm : StageForm
{
    public bool UseGlobalSettings { get; set; }

    [StringLength(255)]
    public string? Host { get; set; } = "localhost";

    [Range(1, 65535, ErrorMessage = "Enter a port between 1 and 65535.")]
    public int Port { get; set; } = 25;

    [StringLength(255)]
    public string? Username { get; set; }

    /// <summary>Never shown again: empty on the edit form, and an empty field keeps the stored password.</summary>
    [StringLength(255)]
    public string? Password { get; set; }

    public bool ClearPassword { get; set; }

    public bool UseTls { get; set; }

    public bool UseSsl { get; set; }

    [Range(1, 3600, ErrorMessage = "Enter a timeout between 1 and 3600 seconds.")]
    public int Timeout { get; set; } = 10;

    [StringLength(255), SenderAddress]
    public string? FromAddress { get; set; } = "system@authentik.local";

    [Range(1, EmailStage.MaxTokenExpiry, ErrorMessage = "Enter a number of minutes between 1 and 525600.")]
    public int TokenExpiry { get; set; } = 30;

    [StringLength(255), EmailSubject]
    public string? Subject { get; set; } = "authentik";

    [StringLength(255), EmailTemplateName]
    public string? Template { get; set; } = "email/account_confirmation.html";

    public bool ActivateUserOnSuccess { get; set; }
}
