using System.Text.Json.Nodes;

namespace Enrollment.Domain;

public class Invitation
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public DateTime? Expires { get; set; }
    public Guid? FlowId { get; set; }
    public Flow? Flow { get; set; }
    public bool SingleUse { get; set; }
    public JsonObject FixedData { get; set; } = [];
    public int? CreatedById { get; set; }
    public User? CreatedBy { get; set; }
    public DateTime Created { get; set; } = DateTime.UtcNow;
    /// <summary>Completed enrollments with this invitation; a single-use invitation is used up at 1.</summary>
    public int Uses { get; set; }
    public DateTime? LastUsed { get; set; }

    public bool IsUsedUp => SingleUse && Uses > 0;

    public bool IsExpired(DateTime now) => Expires is { } e && e <= now;

    public string Link(string flowSlug) => $"/if/flow/{Uri.EscapeDataString(flowSlug)}/?itoken={Id}";
}

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

public class Brand
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public string Domain { get; set; } = "enrollment-default";
    public bool Default { get; set; } = true;
    public string BrandingTitle { get; set; } = "Enrollment";
    /// <summary>Where external users go after enrollment; they may not use the internal user interface.</summary>
    public string? DefaultApplicationUrl { get; set; }
}
