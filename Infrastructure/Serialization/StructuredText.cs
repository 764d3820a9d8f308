using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Infrastructure.Serialization;

/// <summary>
/// Reads admin-typed JSON or YAML (JSON is YAML's flow style) into a JSON object, with errors that name the line.
/// Untrusted input: aliases are expanded under a node budget so "billion laughs" documents fail fast.
/// </summary>
public static class StructuredText
{
    public const int MaxNodes = 100_000;
    public const int MaxDepth = 64;

    public sealed record ParseResult(JsonObject? Value, string? Error);

    // Razor encodes the text when it is shown; JSON-escaping it as well would show admins "\u00E9" for "é".
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>How an object is shown to admins: indented JSON as typed, which parses again unchanged.</summary>
    public static string Format(JsonObject value) => value.ToJsonString(Pretty);

    public static ParseResult ParseObject(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return new(new JsonObject(), null);
        var trimmed = text.TrimStart();
        // Text that starts like JSON is held to JSON: YAML would quietly accept JSON typos such as a bare key.
        var parsed = trimmed.StartsWith('{') || trimmed.StartsWith('[') ? ParseJson(text) : ParseYaml(text);
        return parsed.Value is { } value && Unstorable(value) is { } problem ? new(null, problem) : parsed;
    }

    /// <summary>
    /// Text no column takes, or null: a NUL character (PostgreSQL stores none in text or jsonb) or a <c>\u</c> escape of
    /// half a surrogate pair (no character at all: System.Text.Json throws when the string is read).
    /// </summary>
    public static string? Unstorable(JsonNode value)
    {
        try
        {
            return HoldsNul(value) ? "The text holds a NUL character (\\u0000 or \\0), which cannot be stored." : null;
        }
        catch (InvalidOperationException)
        {
            return "The text holds a \\u escape of half a surrogate pair, which is no character.";
        }
    }

    private static bool HoldsNul(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => p.Key.Contains('\0') || HoldsNul(p.Value)),
        JsonArray a => a.Any(HoldsNul),
        JsonValue v => v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Contains('\0'),
        _ => false,
    };

    private static ParseResult ParseJson(string text)
    {
        try
        {
            var node = JsonNode.Parse(text, null, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return node is JsonObject o ? new(o, null) : new(null, $"Line 1: expected an object (key: value pairs), found {(node is JsonArray ? "a list" : "a single value")}.");
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            if (message.IndexOf(" Path:", StringComparison.Ordinal) is var p and >= 0 && (cut < 0 || p < cut)) cut = p;
            return new(null, $"Line {(e.LineNumber ?? 0) + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {(cut >= 0 ? message[..cut] : message)}");
        }
    }

    private static ParseResult ParseYaml(string text)
    {
        YamlStream stream;
        try
        {
            if (YamlDepth.FirstTooDeep(text, MaxDepth) is { } deep)
                return new(null, $"Line {deep.Line}: nested more than {MaxDepth} levels deep.");
            stream = new YamlStream();
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // At the end of the stream YamlDotNet points one line past the text; name the last line instead.
            var lines = text.TrimEnd().Split('\n').Length;
            var where = e.Start.Line > lines ? $"Line {lines} (end of the text)" : $"Line {e.Start.Line}, column {e.Start.Column}";
            return new(null, $"{where}: {Describe(e)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, when the text ends inside a flow collection.
            return new(null, $"Line {text.TrimEnd().Split('\n').Length}: the text ends inside an unclosed bracket or quote.");
        }
        if (stream.Documents.Count == 0) return new(new JsonObject(), null);
        if (stream.Documents.Count > 1) return new(null, $"Line {stream.Documents[1].RootNode.Start.Line}: only one document is allowed.");
        var root = stream.Documents[0].RootNode;
        if (root is not YamlMappingNode)
            return new(null, $"Line {root.Start.Line}: expected an object (key: value pairs), found {Kind(root)}.");
        try
        {
            var budget = new Budget();
            return new((JsonObject)Convert(root, budget, 0)!, null);
        }
        catch (StructureException e)
        {
            return new(null, e.Message);
        }
    }

    private sealed class Budget { public int Nodes; }

    private sealed class StructureException(string message) : Exception(message);

    private static JsonNode? Convert(YamlNode node, Budget budget, int depth)
    {
        if (++budget.Nodes > MaxNodes) throw new StructureException($"Line {node.Start.Line}: the document is too large (over {MaxNodes} values, aliases included).");
        if (depth > MaxDepth) throw new StructureException($"Line {node.Start.Line}: nested more than {MaxDepth} levels deep.");
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                        throw new StructureException($"Line {key.Start.Line}: keys must be plain text.");
                    if (obj.ContainsKey(name)) throw new StructureException($"Line {key.Start.Line}: the key '{name}' appears twice.");
                    obj[name] = Convert(value, budget, depth + 1);
                }
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children) arr.Add(Convert(item, budget, depth + 1));
                return arr;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new StructureException($"Line {node.Start.Line}: unsupported value.");
        }
    }

    /// <summary>Plain scalars get YAML's core-schema types; quoted ones stay text.</summary>
    public static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var v = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(v);
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
        if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsInfinity(d) && v.Any(char.IsDigit))
            return JsonValue.Create(d);
        return JsonValue.Create(v);
    }

    private static string Kind(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"the single value '{Truncate(s.Value ?? "")}'",
        _ => "something else",
    };

    private static string Truncate(string s) => s.Length > 40 ? s[..40] + "…" : s;

    private static string Describe(YamlException e) => (e.InnerException?.Message ?? e.Message) switch
    {
        var m when m.StartsWith("(Line", StringComparison.Ordinal) => m[(m.IndexOf("):", StringComparison.Ordinal) + 2)..].Trim(),
        var m => m,
    };
}
