using Enrollment.Domain;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>authentik's prompt stage: asks the invitee for the values of its prompts and checks them.</summary>
public class PromptStage : Stage
{
    public List<Domain.Prompt> Fields { get; set; } = [];
    public List<Policy> ValidationPolicies { get; set; } = [];
}
