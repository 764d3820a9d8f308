using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Tests.Kit;

/// <summary>The guide's enrollment flow as <see cref="FlowKit.GuideFlowAsync"/> made it, and its stages.</summary>
public sealed record GuideFlow(Flow Flow, InvitationStage Invitation, PromptStage Prompts, UserWriteStage Write, UserLoginStage Login)
{
    public Task<Invitation> InviteAsync(EnrollmentApp app, string name, bool singleUse = true, JsonObject? fixedData = null, DateTime? expires = null) =>
        FlowKit.InvitationAsync(app, name, Flow.Id, singleUse, fixedData, expires);

    public string Link(Invitation invitation) => $"/if/flow/{Flow.Slug}/?itoken={invitation.Id}";
}
