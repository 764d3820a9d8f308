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
        }
        return form;
    }
}
