using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Enrollment.Tests.Kit.OpenApi;

/// <summary>
/// Validates JSON against an OpenAPI 3.0 schema object as a strict generated client reads it: <c>$ref</c>,
/// <c>allOf</c>/<c>oneOf</c>/<c>anyOf</c>, <c>type</c> (integers must be whole), <c>nullable</c> (on the schema or
/// beside an <c>allOf</c>), <c>enum</c>, <c>required</c>, <c>properties</c>, <c>additionalProperties</c>, <c>items</c>,
/// <c>format</c> (uuid, date-time, email, uri), length, pattern and range. A response must not carry a
/// <c>writeOnly</c> property (a password).
/// </summary>
public sealed class SchemaValidator(JsonObject document)
{
    private const int MaxProblems = 50;

    /// <summary>
    /// Where authentik's own server sends <c>null</c> although its schema does not mark the property nullable (a
    /// nested serializer over an empty foreign key: DRF writes null). Enrollment answers as the server does.
    /// </summary>
    public static readonly IReadOnlySet<string> ServerNulls = new HashSet<string>(StringComparer.Ordinal)
    {
        "Invitation.flow_obj", // an invitation not bound to a flow
    };

    /// <summary>Each component schema's name, by the schema object itself (to look up <see cref="ServerNulls"/>), built once.</summary>
    private Dictionary<JsonObject, string> ComponentNames => _componentNames ??= document["components"]!["schemas"]!.AsObject()
        .Where(c => c.Value is JsonObject).ToDictionary(c => (JsonObject)c.Value!, c => c.Key, (IEqualityComparer<JsonObject>)ReferenceEqualityComparer.Instance);

    private Dictionary<JsonObject, string>? _componentNames;

    public List<string> Validate(JsonNode? value, JsonObject schema)
    {
        var problems = new List<string>();
        Check(value, schema, "$", problems);
        return problems;
    }

    private JsonObject Resolve(JsonObject schema)
    {
        var seen = 0;
        while (schema["$ref"] is JsonValue r)
        {
            var pointer = r.GetValue<string>();
            if (!pointer.StartsWith("#/", StringComparison.Ordinal)) throw new InvalidOperationException($"External $ref {pointer}");
            JsonNode? node = document;
            foreach (var part in pointer[2..].Split('/')) node = node?[part.Replace("~1", "/").Replace("~0", "~")];
            schema = node as JsonObject ?? throw new InvalidOperationException($"Unresolved $ref {pointer}");
            if (++seen > 32) throw new InvalidOperationException($"$ref loop at {pointer}");
        }
        return schema;
    }

    private static bool Flag(JsonObject schema, string name) => schema[name] is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    /// <summary>Whether null is allowed: <c>nullable</c> here, or on every branch of an allOf, or null in an enum.</summary>
    private bool AllowsNull(JsonObject raw)
    {
        if (Flag(raw, "nullable")) return true;
        var schema = Resolve(raw);
        if (Flag(schema, "nullable")) return true;
        if (schema["enum"] is JsonArray e && e.Any(x => x is null)) return true;
        if (schema["allOf"] is JsonArray all && all.Count > 0 && all.All(s => AllowsNull(s!.AsObject()))) return true;
        if (schema["oneOf"] is JsonArray one && one.Any(s => AllowsNull(s!.AsObject()))) return true;
        if (schema["anyOf"] is JsonArray any && any.Any(s => AllowsNull(s!.AsObject()))) return true;
        return false;
    }

    private void Check(JsonNode? value, JsonObject raw, string at, List<string> problems)
    {
        if (problems.Count >= MaxProblems) return;
        if (value is null)
        {
            if (!AllowsNull(raw)) problems.Add($"{at}: null where the schema allows none");
            return;
        }
        var schema = Resolve(raw);

        if (schema["allOf"] is JsonArray allOf)
            foreach (var s in allOf) Check(value, s!.AsObject(), at, problems);
        if (schema["oneOf"] is JsonArray oneOf)
        {
            var passing = oneOf.Count(s => Validate(value, s!.AsObject()).Count == 0);
            if (passing != 1) problems.Add($"{at}: matches {passing} of the oneOf schemas, not exactly one");
        }
        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(s => Validate(value, s!.AsObject()).Count == 0))
            problems.Add($"{at}: matches none of the anyOf schemas");

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
        {
            problems.Add($"{at}: {value.ToJsonString()} is not one of {allowed.ToJsonString()}");
            return;
        }

        var type = schema["type"]?.GetValue<string>();
        var kind = value.GetValueKind();
        switch (type)
        {
            case "object":
                if (value is not JsonObject o) { problems.Add($"{at}: expected an object, got {Describe(value)}"); return; }
                CheckObject(o, schema, at, problems);
                return;
            case "array":
                if (value is not JsonArray a) { problems.Add($"{at}: expected an array, got {Describe(value)}"); return; }
                if (schema["maxItems"] is JsonValue maxItems && a.Count > maxItems.GetValue<long>()) problems.Add($"{at}: more than {maxItems} items");
                if (schema["items"] is JsonObject items)
                    for (var i = 0; i < a.Count; i++) Check(a[i], items, $"{at}[{i}]", problems);
                return;
            case "string":
                if (kind != JsonValueKind.String) { problems.Add($"{at}: expected a string, got {Describe(value)}"); return; }
                CheckString(value.GetValue<string>(), schema, at, problems);
                return;
            case "integer":
                if (kind != JsonValueKind.Number || !decimal.TryParse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var whole) || whole != decimal.Truncate(whole))
                { problems.Add($"{at}: expected an integer, got {Describe(value)}"); return; }
                CheckRange(whole, schema, at, problems);
                return;
            case "number":
                if (kind != JsonValueKind.Number) { problems.Add($"{at}: expected a number, got {Describe(value)}"); return; }
                CheckRange(decimal.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture), schema, at, problems);
                return;
            case "boolean":
                if (kind is not (JsonValueKind.True or JsonValueKind.False)) problems.Add($"{at}: expected a boolean, got {Describe(value)}");
                return;
            case null:
                if (schema["properties"] is not null && value is JsonObject untyped) CheckObject(untyped, schema, at, problems);
                return;
            default:
                problems.Add($"{at}: the schema has type {type}, which this validator does not know");
                return;
        }
    }

    private void CheckObject(JsonObject o, JsonObject schema, string at, List<string> problems)
    {
        var owner = ComponentNames.GetValueOrDefault(schema);
        var properties = schema["properties"] as JsonObject;
        if (schema["required"] is JsonArray required)
            foreach (var name in required.Select(r => r!.GetValue<string>()))
                if (!o.ContainsKey(name)) problems.Add($"{at}: required property '{name}' is missing");
        foreach (var (name, item) in o)
        {
            if (properties?[name] is JsonObject property)
            {
                if (Flag(property, "writeOnly") || Flag(Resolve(property), "writeOnly")) problems.Add($"{at}.{name}: a writeOnly property in a response");
                if (item is null && owner is not null && ServerNulls.Contains($"{owner}.{name}")) continue;
                Check(item, property, $"{at}.{name}", problems);
            }
            else if (schema["additionalProperties"] is JsonObject extra)
                Check(item, extra, $"{at}.{name}", problems);
            else if (schema["additionalProperties"] is JsonValue v && v.GetValueKind() == JsonValueKind.False)
                problems.Add($"{at}: property '{name}' is not allowed");
        }
    }

    private static void CheckString(string s, JsonObject schema, string at, List<string> problems)
    {
        if (schema["maxLength"] is JsonValue max && s.Length > max.GetValue<long>()) problems.Add($"{at}: longer than {max} characters");
        if (schema["minLength"] is JsonValue min && s.Length < min.GetValue<long>()) problems.Add($"{at}: shorter than {min} characters");
        if (schema["pattern"] is JsonValue pattern && !Regex.IsMatch(s, pattern.GetValue<string>()))
            problems.Add($"{at}: '{Short(s)}' does not match {pattern}");
        switch (schema["format"]?.GetValue<string>())
        {
            case "uuid" when !Guid.TryParseExact(s, "D", out _):
                problems.Add($"{at}: '{Short(s)}' is not a uuid");
                break;
            case "date-time" when !Regex.IsMatch(s, @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
                                  || !DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out _):
                problems.Add($"{at}: '{Short(s)}' is not an RFC 3339 date-time with an offset");
                break;
            // Django sends "" for a blank email or URL field; anything else must look like one.
            case "email" when s.Length > 0 && !Regex.IsMatch(s, @"^[^@\s]+@[^@\s]+$"):
                problems.Add($"{at}: '{Short(s)}' is not an email address");
                break;
            case "uri" when s.Length > 0 && !Uri.TryCreate(s, UriKind.Absolute, out _):
                problems.Add($"{at}: '{Short(s)}' is not an absolute URI");
                break;
        }
    }

    private static void CheckRange(decimal n, JsonObject schema, string at, List<string> problems)
    {
        if (schema["minimum"] is JsonValue min && n < Num(min)) problems.Add($"{at}: {n} is below the minimum {min}");
        if (schema["maximum"] is JsonValue max && n > Num(max)) problems.Add($"{at}: {n} is above the maximum {max}");
    }

    private static decimal Num(JsonValue v) => decimal.Parse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    private static string Describe(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => $"the string '{Short(value.GetValue<string>())}'",
        _ => Short(value.ToJsonString()),
    };

    private static string Short(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
