using System.Text.Json.Nodes;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// A row of a bulk invitation's list that was left out, and why. Kept on the run (<see cref="Domain.BulkInvitation.Rejected"/>)
/// as <c>{"row": 3, "value": "not-an-address", "error": "…"}</c>; shown by <c>_RejectedRows.cshtml</c>.
/// </summary>
public sealed record RejectedRow(int Row, string Value, string Error)
{
    public JsonObject ToJson() => new() { ["row"] = Row, ["value"] = Value, ["error"] = Error };

    public static RejectedRow FromJson(JsonNode? node) => new(
        node?["row"] is JsonValue r && r.TryGetValue(out int row) ? row : 0,
        node?["value"] is JsonValue v && v.TryGetValue(out string? value) ? value ?? "" : "",
        node?["error"] is JsonValue e && e.TryGetValue(out string? error) ? error ?? "" : "");
}
