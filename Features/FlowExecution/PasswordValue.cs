using System.Text.Json.Nodes;

namespace Enrollment.Features.FlowExecution;

/// <summary>
/// How a password stands in a plan's <c>prompt_data</c>: the prompt stage keeps only Identity's hash of it, as
/// <c>{"password_hash": "…"}</c> — plans are stored in the database while a flow waits (for an emailed link, say), and a
/// plaintext password has no business there. The user write stage sets the hash on the user; expressions see
/// <see cref="Mask"/> instead, so they can tell the field was filled but never what it holds.
/// </summary>
public static class PasswordValue
{
    public const string HashKey = "password_hash";

    /// <summary>What policies and prompt expressions see in place of a password.</summary>
    public const string Mask = "********";

    public static JsonObject Hashed(string hash) => new() { [HashKey] = hash };

    /// <summary>The hash a value of <see cref="Hashed"/> holds, or null for any other value.</summary>
    public static string? HashOf(JsonNode? value) =>
        value is JsonObject { Count: 1 } o && o[HashKey] is JsonValue v && v.TryGetValue<string>(out var hash) ? hash : null;

    /// <summary>A copy of <paramref name="promptData"/> with every hashed password replaced by <see cref="Mask"/>.</summary>
    public static JsonObject Masked(JsonObject promptData)
    {
        var copy = promptData.DeepClone().AsObject();
        foreach (var key in copy.Where(p => HashOf(p.Value) is not null).Select(p => p.Key).ToList()) copy[key] = Mask;
        return copy;
    }
}
