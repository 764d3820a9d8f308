namespace Enrollment.Domain;

public class Flow
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public required string Slug { get; set; }
    public string Title { get; set; } = "";
    public FlowDesignation Designation { get; set; } = FlowDesignation.Enrollment;
    public FlowAuthentication Authentication { get; set; } = FlowAuthentication.None;
    public DeniedAction DeniedAction { get; set; } = DeniedAction.MessageContinue;
    public FlowLayout Layout { get; set; } = FlowLayout.Stacked;
    public PolicyEngineMode PolicyEngineMode { get; set; } = PolicyEngineMode.Any;

    public List<FlowStageBinding> Bindings { get; set; } = [];
    public List<PolicyBinding> PolicyBindings { get; set; } = [];
}

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
