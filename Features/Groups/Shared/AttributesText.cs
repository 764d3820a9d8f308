using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Features.Groups.Shared;

/// <summary>
/// Attributes as admins type them: a JSON object, or YAML as in authentik's blueprints. Errors name the line,
/// because the text area gives no other clue where the mistake is.
/// </summary>
public static class AttributesText
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true };

    // Aliases can expand exponentially; an admin's attributes never need anywhere near this many values.
    private const int MaxNodes = 10_000;

    public static string Format(JsonObject attributes) => attributes.ToJsonString(Pretty);

    public static bool TryParse(string? text, out JsonObject attributes, out string? error)
    {
        attributes = [];
        error = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        var trimmed = text.TrimStart();
        return trimmed.StartsWith('{') || trimmed.StartsWith('[')
            ? TryParseJson(text, ref attributes, out error)
            : TryParseYaml(text, ref attributes, out error);
    }

    private const string NotAnObject = "Attributes must be an object (key: value pairs), not a list or a single value.";

    private static bool TryParseJson(string text, ref JsonObject attributes, out string? error)
    {
        try
        {
            var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
            error = node is JsonObject ? null : NotAnObject;
            if (node is JsonObject o) attributes = o;
            return error is null;
        }
        catch (JsonException e)
        {
            var message = e.Message;
            var cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var p and >= 0 ? p : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
            error = $"Invalid JSON on line {(e.LineNumber ?? 0) + 1}: {(cut >= 0 ? message[..cut] : message)}";
            return false;
        }
    }

    private static bool TryParseYaml(string text, ref JsonObject attributes, out string? error)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YamlDotNet prefixes its message with "(start) - (end): ".
            var message = e.Message.IndexOf("): ", StringComparison.Ordinal) is var i and >= 0 ? e.Message[(i + 3)..] : e.Message;
            error = $"Invalid YAML on line {e.Start.Line}: {message}";
            return false;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, when the text ends inside a flow collection.
            error = $"Invalid YAML on line {text.TrimEnd().Split('\n').Length}: the text ends inside an unclosed bracket or quote.";
            return false;
        }
        if (stream.Documents.Count == 0) { error = null; return true; }
        if (stream.Documents[0].RootNode is not YamlMappingNode root) { error = NotAnObject; return false; }
        var budget = MaxNodes;
        var converted = Convert(root, ref budget);
        if (budget < 0) { error = "Attributes are too large."; return false; }
        attributes = (JsonObject)converted!;
        error = null;
        return true;
    }

    private static JsonNode? Convert(YamlNode node, ref int budget)
    {
        if (--budget < 0) return null;
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (key, value) in map.Children)
                    obj[key is YamlScalarNode k ? k.Value ?? "" : key.ToString()] = Convert(value, ref budget);
                return obj;
            case YamlSequenceNode seq:
                var array = new JsonArray();
                foreach (var item in seq.Children) array.Add(Convert(item, ref budget));
                return array;
            case YamlScalarNode { Style: ScalarStyle.Plain } scalar:
                return Plain(scalar.Value);
            case YamlScalarNode scalar:
                return JsonValue.Create(scalar.Value ?? "");
            default:
                return null;
        }
    }

    // Unquoted YAML scalars carry their type, as in YAML 1.2's core schema.
    private static JsonNode? Plain(string? value) => value switch
    {
        null or "" or "~" or "null" or "Null" or "NULL" => null,
        "true" or "True" or "TRUE" => JsonValue.Create(true),
        "false" or "False" or "FALSE" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => JsonValue.Create(d),
        _ => JsonValue.Create(value),
    };
}
