using System.Linq.Expressions;
using System.Text.Json.Nodes;

namespace Enrollment.Domain;

public class Event
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Action { get; set; }
    /// <summary>Who did it, as authentik records it: <c>{"pk": 1, "username": "akadmin"}</c>; survives the user's deletion.</summary>
    public JsonObject User { get; set; } = [];
    public string App { get; set; } = "enrollment";
    public JsonObject Context { get; set; } = [];
    public string? ClientIp { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
}
