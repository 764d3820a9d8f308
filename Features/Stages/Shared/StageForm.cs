using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Stages.Shared;

/// <summary>
/// The fields of every kind of stage as the create and edit forms post them. A form only shows (and posts) the
/// fields of its kind; the others keep their defaults, which are valid, and are ignored when saving.
/// </summary>
public class StageForm
{
    [Required(ErrorMessage = "Enter a name.")]
    [StringLength(200)]
    public string Name { get; set; } = "";

    // Invitation stage
    public bool ContinueFlowWithoutInvitation { get; set; }

    // Prompt stage: ids of prompts and policies
    public List<Guid> Fields { get; set; } = [];
    public List<Guid> ValidationPolicies { get; set; } = [];

    // User write stage
    [Required, WireEnum(typeof(UserCreationMode))]
    public string UserCreationMode { get; set; } = "create_when_required";

    public bool CreateUsersAsInactive { get; set; }

    public Guid? CreateUsersGroup { get; set; }

    [Required, WireEnum(typeof(UserType))]
    public string UserType { get; set; } = "external";

    [StringLength(200)]
    public string? UserPathTemplate { get; set; }

    // User login stage
    [Required(ErrorMessage = "Enter a duration, e.g. seconds=0.")]
    [StringLength(100), Timedelta]
    public string SessionDuration { get; set; } = "seconds=0";

    [Required(ErrorMessage = "Enter a duration, e.g. seconds=0.")]
    [StringLength(100), Timedelta]
    public string RememberMeOffset { get; set; } = "seconds=0";

    public bool TerminateOtherSessions { get; set; }

    // Email stage
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

    [Range(1, EmailStageLimits.MaxTokenExpiry, ErrorMessage = "Enter a number of minutes between 1 and 525600.")]
    public int TokenExpiry { get; set; } = 30;

    [StringLength(255), EmailSubject]
    public string? Subject { get; set; } = "authentik";

    [StringLength(255), EmailTemplateName]
    public string? Template { get; set; } = "email/account_confirmation.html";

    public bool ActivateUserOnSuccess { get; set; }

    public static T From<T>(Stage stage) where T : StageForm, new()
    {
        var form = new T { Name = stage.Name };
        switch (stage)
        {
            case InvitationStage s:
                form.ContinueFlowWithoutInvitation = s.ContinueFlowWithoutInvitation;
                break;
            case PromptStage s:
                form.Fields = s.Fields.Select(p => p.Id).ToList();
                form.ValidationPolicies = s.ValidationPolicies.Select(p => p.Id).ToList();
                break;
            case UserWriteStage s:
                form.UserCreationMode = Wire.Name(s.UserCreationMode);
                form.CreateUsersAsInactive = s.CreateUsersAsInactive;
                form.CreateUsersGroup = s.CreateUsersGroupId;
                form.UserType = Wire.Name(s.UserType);
                form.UserPathTemplate = s.UserPathTemplate;
                break;
            case UserLoginStage s:
                form.SessionDuration = s.SessionDuration;
                form.RememberMeOffset = s.RememberMeOffset;
                form.TerminateOtherSessions = s.TerminateOtherSessions;
                break;
            case EmailStage s:
                form.UseGlobalSettings = s.UseGlobalSettings;
                form.Host = s.Host;
                form.Port = s.Port;
                form.Username = s.Username;
                form.UseTls = s.UseTls;
                form.UseSsl = s.UseSsl;
                form.Timeout = s.Timeout;
                form.FromAddress = s.FromAddress;
                form.TokenExpiry = s.TokenExpiry;
                form.Subject = s.Subject;
                form.Template = s.Template;
                form.ActivateUserOnSuccess = s.ActivateUserOnSuccess;
                break;
        }
        return form;
    }
}

public static class EmailStageLimits
{
    /// <summary>A year, in minutes. A link works only while its flow plan lives (24 hours) anyway.</summary>
    public const int MaxTokenExpiry = 525600;
}
