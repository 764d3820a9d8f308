namespace Enrollment.Domain;

public class FlowStageBinding
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid FlowId { get; set; }
    public Flow Flow { get; set; } = null!;
    public Guid StageId { get; set; }
    public Stage Stage { get; set; } = null!;
    public int Order { get; set; }
    public bool EvaluateOnPlan { get; set; }
    public bool ReEvaluatePolicies { get; set; } = true;
    public InvalidResponseAction InvalidResponseAction { get; set; } = InvalidResponseAction.Retry;
    public PolicyEngineMode PolicyEngineMode { get; set; } = PolicyEngineMode.Any;

    public List<PolicyBinding> PolicyBindings { get; set; } = [];
}
