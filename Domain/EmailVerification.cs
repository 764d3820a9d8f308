using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace Enrollment.Domain;

/// <summary>
/// A verification link sent by an email stage. Opening it continues the waiting flow plan (in whichever browser
/// opened it); the row keeps only the digest of the key in the link.
/// </summary>
public class EmailVerification
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string KeyHash { get; set; }
    public Guid FlowPlanId { get; set; }
    public FlowPlan FlowPlan { get; set; } = null!;
    public Guid StageId { get; set; }
    public required string Email { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime Expires { get; set; }
    public DateTime? Verified { get; set; }
}
