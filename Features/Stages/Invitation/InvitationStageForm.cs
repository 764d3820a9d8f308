using Enrollment.Features.Stages.Shared;

namespace Enrollment.Features.Stages.Invitation;

public sealed class InvitationStageForm : StageForm
{
    public bool ContinueFlowWithoutInvitation { get; set; }
}
