using Enrollment.Domain;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Email;

/// <summary>authentik's email stage: sends a verification link and waits until it is opened.</summary>
public class EmailStage : Stage
{
    /// <summary>Use the server's <c>Email:*</c> settings instead of the connection below.</summary>
    public bool UseGlobalSettings { get; set; }
    public string Host { get; set; } = "localhost";
    public int Port { get; set; } = 25;
    public string Username { get; set; } = "";
    public string Password { get; set; } = "";
    public bool UseTls { get; set; }
    public bool UseSsl { get; set; }
    /// <summary>Seconds.</summary>
    public int Timeout { get; set; } = 10;
    public string FromAddress { get; set; } = "system@authentik.local";
    /// <summary>Minutes the link stays valid.</summary>
    public int TokenExpiry { get; set; } = 30;
    public string Subject { get; set; } = EmailStageMail.DefaultSubject;
    public string Template { get; set; } = "email/account_confirmation.html";
    public bool ActivateUserOnSuccess { get; set; }

    /// <summary>A year, in minutes. A link works only while its flow plan lives (24 hours) anyway.</summary>
    public const int MaxTokenExpiry = 525600;
}
