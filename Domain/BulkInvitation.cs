using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace Enrollment.Domain;

/// <summary>One bulk invitation run: many recipients, one invitation each, all emailed.</summary>
public class BulkInvitation
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public Guid? FlowId { get; set; }
    public Flow? Flow { get; set; }
    public int? CreatedById { get; set; }
    public User? CreatedBy { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime? Expires { get; set; }
    public bool SingleUse { get; set; }
    /// <summary>Recipients accepted (one invitation and one delivery each).</summary>
    public int Total { get; set; }
    /// <summary>Rows refused: <c>[{"row": 3, "value": "not-an-address", "error": "…"}]</c>.</summary>
    public JsonArray Rejected { get; set; } = [];
}
