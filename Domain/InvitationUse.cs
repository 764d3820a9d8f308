namespace Enrollment.Domain;

/// <summary>
/// One completed enrollment with an invitation, written in the transaction that writes the user and counts the use.
/// Deleted with its invitation; kept, without its user, when the user is deleted (the count stays explained).
/// </summary>
public class InvitationUse
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid InvitationId { get; set; }
    public Invitation Invitation { get; set; } = null!;
    public int? UserId { get; set; }
    public User? User { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public string? ClientIp { get; set; }
    /// <summary>The flow enrolled through, by pk; not a reference, so the record outlives the flow.</summary>
    public Guid FlowId { get; set; }
}
