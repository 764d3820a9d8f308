namespace Enrollment.Domain;

/// <summary>
/// A step of a flow. Kinds share one table (TPH, discriminated by the kind's wire name); each kind adds its own
/// settings in its own folder (<c>Features/Stages/&lt;Kind&gt;/</c>).
/// </summary>
public abstract class Stage
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }

    public List<FlowStageBinding> Bindings { get; set; } = [];
}
