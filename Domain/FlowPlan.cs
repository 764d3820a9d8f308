using System.Text.Json.Nodes;

namespace Enrollment.Domain;

/// <summary>
/// A flow in progress for one browser: the stage bindings still to run and the context gathered so far. Kept in the
/// database (not in memory) so that a flow survives a restart and any server process sharing the database can
/// continue it. The browser holds only an opaque key; the row stores the key's digest.
/// </summary>
public class FlowPlan
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string KeyHash { get; set; }
    public Guid FlowId { get; set; }
    public Flow Flow { get; set; } = null!;
    /// <summary>The planned stage bindings, in order: <c>["&lt;binding id&gt;", …]</c>.</summary>
    public JsonArray Bindings { get; set; } = [];
    public int Current { get; set; }
    /// <summary>authentik's plan context: <c>prompt_data</c>, <c>invitation</c>, <c>pending_user</c>, <c>user_path</c>, …</summary>
    public JsonObject Context { get; set; } = [];
    public DateTime Created { get; set; } = DateTime.UtcNow;
    public DateTime Expires { get; set; }
    /// <summary>Bumped on every save: two submissions of one step cannot both advance the plan.</summary>
    public int Version { get; set; }
}
