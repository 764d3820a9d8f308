using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Tests.Kit.OpenApi;

/// <summary>
/// authentik's published OpenAPI document (npm <c>@goauthentik/api@2026.8.3</c>, <c>schema.yml</c>, vendored as is):
/// finds the operation a request went to and validates a response against what the document promises for it.
/// </summary>
public sealed class OpenApiContract
{
    public const string FileName = "authentik-2026.8.3.yml";

    private static readonly Lazy<OpenApiContract> Loaded = new(() => new OpenApiContract(Path.Combine(AppContext.BaseDirectory, "Kit", "OpenApi", FileName)));

    public static OpenApiContract Authentik => Loaded.Value;

    private readonly JsonObject _document;
    private readonly List<(string Template, string[] Segments)> _paths;

    private OpenApiContract(string file)
    {
        var stream = new YamlStream();
        using (var reader = new StringReader(File.ReadAllText(file))) stream.Load(reader);
        _document = ToJson(stream.Documents[0].RootNode)!.AsObject();
        Validator = new SchemaValidator(_document);
        _paths = _document["paths"]!.AsObject()
            .Select(p => (p.Key, p.Key.Trim('/').Split('/')))
            .ToList();
    }

    public SchemaValidator Validator { get; }

    /// <summary>
    /// The path template of authentik's document that <paramref name="path"/> (after <c>/api/v3</c>) is: literal
    /// segments win over parameters (<c>/core/users/paths/</c> is not <c>/core/users/{id}/</c>). Null: none.
    /// </summary>
    public string? TemplateFor(string path)
    {
        var segments = path.Trim('/').Split('/');
        return _paths
            .Where(p => p.Segments.Length == segments.Length
                        && p.Segments.Zip(segments).All(s => s.First.StartsWith('{') || s.First == s.Second))
            .OrderBy(p => p.Segments.Count(s => s.StartsWith('{')))
            .Select(p => p.Template)
            .FirstOrDefault();
    }

    /// <summary>The operation object for a method on a template, or null when authentik has none.</summary>
    public JsonObject? Operation(string template, string method) =>
        _document["paths"]![template]?[method.ToLowerInvariant()] as JsonObject;

    public IEnumerable<(string Template, string Method, string OperationId)> Operations() =>
        from p in _document["paths"]!.AsObject()
        from m in p.Value!.AsObject()
        let o = m.Value as JsonObject
        where o?["operationId"] is not null
        select (p.Key, m.Key, o["operationId"]!.GetValue<string>());

    /// <summary>
    /// The problems with a response, empty when it is what authentik's document says: a 2xx status must be one the
    /// operation lists, and a body for a listed status must match that status' JSON schema. Statuses the document
    /// does not list for errors (404, 405, 413, 415, 429, 503) are not checked.
    /// </summary>
    public List<string> Check(string template, string method, int status, string? mediaType, string body)
    {
        var problems = new List<string>();
        var operation = Operation(template, method);
        if (operation is null) return [$"authentik has no {method.ToUpperInvariant()} {template}"];
        var responses = operation["responses"]!.AsObject();
        var listed = Resolve(responses[status.ToString(CultureInfo.InvariantCulture)] as JsonObject);
        if (listed is null)
        {
            if (status is >= 200 and < 300)
                problems.Add($"status {status} is not one authentik lists for {operation["operationId"]} ({string.Join(", ", responses.Select(r => r.Key))})");
            return problems;
        }
        var content = listed["content"]?.AsObject();
        if (content is null)
        {
            // A success the document gives no body must have none. An error without a documented body may carry DRF's
            // JSON (authentik's server sends one; its document does not always say so).
            if (status is >= 200 and < 300 && body.Length > 0) problems.Add($"authentik sends no body with {status} for {operation["operationId"]}, got {body.Length} characters");
            return problems;
        }
        var schema = content["application/json"]?["schema"] as JsonObject;
        if (schema is null) return problems;
        // A file (authentik's flow export): its generated clients read the body as a blob, whatever the media type.
        if (schema["format"]?.GetValue<string>() == "binary") return problems;
        if (mediaType != "application/json")
        {
            problems.Add($"{operation["operationId"]} {status}: expected application/json, got {mediaType ?? "no content type"}");
            return problems;
        }
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            problems.Add($"{operation["operationId"]} {status}: body is not JSON: {e.Message}");
            return problems;
        }
        problems.AddRange(Validator.Validate(node, schema).Select(p => $"{operation["operationId"]} {status}: {p}"));
        return problems;
    }

    /// <summary>A response object, following a <c>$ref</c> to <c>#/components/responses/…</c>.</summary>
    private JsonObject? Resolve(JsonObject? response)
    {
        if (response?["$ref"] is not JsonValue r) return response;
        JsonNode? node = _document;
        foreach (var part in r.GetValue<string>()[2..].Split('/')) node = node?[part];
        return node as JsonObject ?? throw new InvalidOperationException($"Unresolved $ref {r}");
    }

    /// <summary>YAML as JSON, plain scalars typed by YAML 1.2's core schema (null, booleans, numbers), quoted ones text.</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } plain => Plain(plain.Value ?? ""),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => throw new InvalidOperationException($"Unexpected YAML node {node.NodeType}"),
    };

    private static JsonNode? Plain(string v) =>
        v is "" or "~" or "null" or "Null" or "NULL" ? null
        : v is "true" or "True" or "TRUE" ? JsonValue.Create(true)
        : v is "false" or "False" or "FALSE" ? JsonValue.Create(false)
        : long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) ? JsonValue.Create(l)
        : System.Text.RegularExpressions.Regex.IsMatch(v, @"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$") ? JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture))
        : JsonValue.Create(v);
}
