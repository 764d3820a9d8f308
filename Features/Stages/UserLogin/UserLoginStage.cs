using Enrollment.Domain;

namespace Enrollment.Features.Stages.UserLogin;

/// <summary>authentik's user login stage: signs the pending user in.</summary>
public class UserLoginStage : Stage
{
    /// <summary>authentik's timedelta string, e.g. <c>seconds=0</c> (until the browser closes) or <c>hours=8</c>.</summary>
    public string SessionDuration { get; set; } = "seconds=0";
    public string RememberMeOffset { get; set; } = "seconds=0";
    public bool TerminateOtherSessions { get; set; }
}
