using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enrollment.Features.Api.Shared;

/// <summary>
/// authentik's <c>attributes</c> filter: a JSON object, matching the objects whose attributes have each of its keys
/// with an equal value (<c>{"department": "IT"}</c>). JSON columns are compared differently by every engine, so the
/// match runs here over the candidates' attributes, before the query pages.
/// </summary>
public static class AttributesFilter
{
    public const string Parameter = "attributes";

    /// <summary>The filter's object, null when absent; a value that is not a JSON object is an error.</summary>
    public static JsonObject? Parse(string? value, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value)) return null;
        try
        {
            if (JsonNode.Parse(value) is JsonObject o) return o;
        }
        catch (JsonException)
        {
        }
        errors.Add(Parameter, "Enter a JSON object, e.g. {\"department\": \"IT\"}.");
        return null;
    }

    public static bool Matches(JsonObject attributes, JsonObject wanted) =>
        wanted.All(p => attributes.TryGetPropertyValue(p.Key, out var value) && JsonNode.DeepEquals(value, p.Value));
}
