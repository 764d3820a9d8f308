using System.Text.Json.Nodes;

namespace Enrollment.Domain;

/// <summary>
/// authentik's <c>authentik_blueprints.blueprintinstance</c>: a blueprint that is applied, from a file under the
/// blueprints folder (<see cref="Path"/>, relative to it) or from text kept here (<see cref="Content"/>), with the
/// context it is applied with and how its last apply went.
/// </summary>
public class BlueprintInstance
{
    public const int MaxNameLength = 200;
    public const int MaxPathLength = 400;

    public Guid Id { get; set; } = Guid.NewGuid();
    public required string Name { get; set; }
    public string Path { get; set; } = "";
    public JsonObject Context { get; set; } = [];
    public bool Enabled { get; set; } = true;
    public BlueprintInstanceStatus Status { get; set; } = BlueprintInstanceStatus.Unknown;
    /// <summary>When it was last applied (or, not applied yet, created): authentik's <c>auto_now</c> field.</summary>
    public DateTime LastApplied { get; set; } = DateTime.UtcNow;
    /// <summary>SHA-512 (hex) of the text last applied successfully; "" before that.</summary>
    public string LastAppliedHash { get; set; } = "";
    /// <summary>SHA-512 of the text last tried, successfully or not: the same text is not tried again until it changes.</summary>
    public string AttemptedHash { get; set; } = "";
    public JsonArray ManagedModels { get; set; } = [];
    /// <summary>The file's <c>metadata</c>: <c>{"name": …, "labels": {…}}</c>.</summary>
    public JsonObject Metadata { get; set; } = [];
    public string Content { get; set; } = "";
    /// <summary>The log of the last apply, each line <c>{"log_level", "event", "entry", "id", "model", "field", "line"}</c>.</summary>
    public JsonArray LastLog { get; set; } = [];

    public bool IsFile => Path.Length > 0;
}
