using Enrollment.Domain;

namespace Enrollment.Infrastructure.FlowExecution;

/// <summary>
/// A flow as its steps read it: the flow, its policy bindings, and its stage bindings in order, each with its
/// stage (a prompt stage's fields in order and validation policies) and its enabled policy bindings in order.
/// Shared by concurrent requests: nothing may change these objects.
/// </summary>
public sealed class FlowDefinition
{
    private readonly Dictionary<Guid, FlowStageBinding> byId;

    public FlowDefinition(Flow flow, IReadOnlyList<FlowStageBinding> bindings, IReadOnlyList<PolicyBinding> flowPolicies)
    {
        (Flow, Bindings, FlowPolicies) = (flow, bindings, flowPolicies);
        byId = bindings.ToDictionary(b => b.Id);
    }

    public Flow Flow { get; }
    public IReadOnlyList<FlowStageBinding> Bindings { get; }
    /// <summary>The flow's own enabled policy bindings, in order.</summary>
    public IReadOnlyList<PolicyBinding> FlowPolicies { get; }

    /// <summary>Null when an admin has unbound it since the plan was made.</summary>
    public FlowStageBinding? Binding(Guid id) => byId.GetValueOrDefault(id);
}
