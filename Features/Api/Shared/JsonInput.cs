using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enrollment.Features.Api.Shared;

/// <summary>A JSON request value as the values blueprint fields convert (text, whole numbers as long, lists, mappings).</summary>
public static class JsonInput
{
    public static object? ToValue(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToValue(p.Value)),
        JsonArray a => a.Select(ToValue).ToList(),
        _ => node.GetValueKind() switch
        {
            JsonValueKind.String => node.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number when node.AsValue().TryGetValue<long>(out var l) => l,
            JsonValueKind.Number => node.GetValue<double>(),
            _ => null,
        },
    };
}
