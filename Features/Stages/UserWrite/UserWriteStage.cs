using Enrollment.Domain;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.UserWrite;

/// <summary>authentik's user write stage: creates or updates the user from what the flow collected.</summary>
public class UserWriteStage : Stage
{
    public UserCreationMode UserCreationMode { get; set; } = UserCreationMode.CreateWhenRequired;
    public bool CreateUsersAsInactive { get; set; }
    public Guid? CreateUsersGroupId { get; set; }
    public Group? CreateUsersGroup { get; set; }
    public UserType UserType { get; set; } = UserType.External;
    public string UserPathTemplate { get; set; } = "";
}
