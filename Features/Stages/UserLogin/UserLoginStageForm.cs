using System.ComponentModel.DataAnnotations;
using Enrollment.Features.Stages.Shared;

namespace Enrollment.Features.Stages.UserLogin;

public sealed class UserLoginStageForm : StageForm
{
    [Required(ErrorMessage = "Enter a duration, e.g. seconds=0.")]
    [StringLength(100), Timedelta]
    public string SessionDuration { get; set; } = "seconds=0";

    [Required(ErrorMessage = "Enter a duration, e.g. seconds=0.")]
    [StringLength(100), Timedelta]
    public string RememberMeOffset { get; set; } = "seconds=0";

    public bool TerminateOtherSessions { get; set; }
}
