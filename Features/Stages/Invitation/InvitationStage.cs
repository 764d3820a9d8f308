using Enrollment.Domain;

namespace Enrollment.Features.Stages.Invitation;

/// <summary>authentik's invitation stage: checks the invitation link and puts its fixed data into the plan.</summary>
public class InvitationStage : Stage
{
    public bool ContinueFlowWithoutInvitation { get; set; }
}
