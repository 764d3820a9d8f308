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
