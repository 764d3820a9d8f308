namespace Enrollment.Domain;

/// <summary>
/// Binds a policy, a group or a user to a flow or to one stage binding. Exactly one target and exactly one
/// subject are set; the database enforces both with check constraints.
/// </summary>
public class PolicyBinding
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public Guid? FlowId { get; set; }
    public Flow? Flow { get; set; }
    public Guid? FlowStageBindingId { get; set; }
    public FlowStageBinding? FlowStageBinding { get; set; }

    public Guid? PolicyId { get; set; }
    public Policy? Policy { get; set; }
    public Guid? GroupId { get; set; }
    public Group? Group { get; set; }
    public int? UserId { get; set; }
    public User? User { get; set; }

    public bool Enabled { get; set; } = true;
    public bool Negate { get; set; }
    public int Order { get; set; }
    public int Timeout { get; set; } = 30;
    public bool FailureResult { get; set; }
}
