using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// A file's <c>metadata: {name, labels}</c>, read without resolving tags (what lists and instances show of it).
/// A file that is not YAML has neither; the import reports its error.
/// </summary>
public sealed record BlueprintMetadata(string? Name, IReadOnlyDictionary<string, string> Labels)
{
    public const string InstantiateLabel = "blueprints.goauthentik.io/instantiate";

    /// <summary>authentik's examples carry <c>instantiate: "false"</c>: applied on demand only, never discovered as instances.</summary>
    public bool Instantiate => !(Labels.TryGetValue(InstantiateLabel, out var v) && string.Equals(v, "false", StringComparison.OrdinalIgnoreCase));

    /// <summary>authentik's Metadata shape, <c>{"name": "…", "labels": {…}}</c>.</summary>
    public JsonObject ToJson() => new()
    {
        ["name"] = Name ?? "",
        ["labels"] = new JsonObject(Labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
    };

    public static BlueprintMetadata Read(string yaml)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root
                || BlueprintReader.Value(root, "metadata") is not YamlMappingNode metadata)
                return new(null, labels);
            var name = (BlueprintReader.Value(metadata, "name") as YamlScalarNode)?.Value;
            if (BlueprintReader.Value(metadata, "labels") is YamlMappingNode labelNode)
                foreach (var (k, v) in labelNode.Children)
                    if (k is YamlScalarNode { Value: { } key }) labels[key] = v is YamlScalarNode s ? s.Value ?? "" : v.ToString();
            return new(name, labels);
        }
        catch (Exception e) when (e is YamlDotNet.Core.YamlException or InvalidOperationException or ArgumentException)
        {
            return new(null, labels);
        }
    }
}
