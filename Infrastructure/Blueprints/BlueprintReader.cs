using Enrollment.Infrastructure.Serialization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// Loads blueprint text into YAML nodes, keeping custom tags on them. Untrusted input: the size is capped before
/// parsing; aliases are not expanded here (the node objects are shared), the <see cref="TagResolver"/> budget
/// bounds their expansion.
/// </summary>
public static class BlueprintReader
{
    public const int MaxBytes = 5 * 1024 * 1024;

    private static readonly HashSet<string> TopLevelKeys = ["version", "metadata", "context", "entries"];

    /// <exception cref="BlueprintException">The file is too large, not YAML, not version 1, or not shaped as a blueprint.</exception>
    public static BlueprintDocument Read(string text)
    {
        // Counting is linear and cheap next to parsing; characters alone would let 3-byte characters slip by.
        if (text.Length > MaxBytes || Encoding.UTF8.GetByteCount(text) > MaxBytes)
            throw new BlueprintException($"The blueprint is larger than {MaxBytes / 1024 / 1024} MB; split it into smaller files.");

        var root = Parse(text);
        if (root is not null) YamlMergeKeys.Expand(root);
        if (root is not YamlMappingNode map)
            throw new BlueprintException("A blueprint is a mapping with version, metadata and entries.", at: root?.Start);

        var version = Value(map, "version");
        // A plain 1 only: authentik (PyYAML) compares with the integer, so '1' in quotes is text and invalid there too.
        if (version is not YamlScalarNode { Value: "1", Style: ScalarStyle.Plain } || TagResolver.TagOf(version) != "")
            throw new BlueprintException("Invalid blueprint version", "version", version?.Start ?? map.Start);

        var entries = Value(map, "entries");
        var list = entries switch
        {
            null => [],
            YamlScalarNode s when StructuredTextNull(s) => [],
            YamlSequenceNode seq when TagResolver.TagOf(seq) == "" => seq.Children.ToList(),
            YamlMappingNode sections when TagResolver.TagOf(sections) == "" => Sections(sections),
            _ => throw new BlueprintException("'entries' must be a list of entries, or a mapping of lists of entries.", "entries", entries.Start),
        };
        var unknown = map.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? "").Where(k => !TopLevelKeys.Contains(k)).ToList();
        return new BlueprintDocument(Value(map, "metadata"), Value(map, "context"), list, unknown);
    }

    /// <summary>
    /// authentik's dynamic entries: <c>entries</c> as a mapping whose values are lists of entries, applied in the
    /// mapping's order. A value may also be a tag (an <c>!Enumerate</c>, say) that gives such a list when resolved;
    /// it stays one node here and is resolved when the importer reaches it.
    /// </summary>
    private static List<YamlNode> Sections(YamlMappingNode sections)
    {
        var list = new List<YamlNode>();
        foreach (var (key, value) in sections.Children)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            switch (value)
            {
                case YamlScalarNode s when StructuredTextNull(s):
                    break;
                case YamlSequenceNode seq when TagResolver.TagOf(seq) == "":
                    list.AddRange(seq.Children);
                    break;
                case var tagged when TagResolver.TagOf(tagged) is { Length: > 0 } tag && !tag.StartsWith("tag:yaml.org", StringComparison.Ordinal):
                    list.Add(tagged);
                    break;
                default:
                    throw new BlueprintException($"'entries.{name}' must be a list of entries.", "entries", value.Start);
            }
        }
        return list;
    }

    private static YamlNode? Parse(string text)
    {
        var stream = new YamlStream();
        try
        {
            CheckDepth(text);
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // At the end of the stream YamlDotNet points one line past the text; name the last line instead.
            var lines = text.TrimEnd().Split('\n').Length;
            var where = e.Start.Line > lines ? $"line {lines} (end of the file)" : $"line {e.Start.Line}, column {e.Start.Column}";
            throw new BlueprintException($"Invalid YAML at {where}: {Describe(e)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this, without a position, when the text ends inside a flow collection or quote.
            var lines = text.TrimEnd().Split('\n');
            throw new BlueprintException($"Invalid YAML at line {lines.Length}, column {lines[^1].TrimEnd('\r').Length + 1} (end of the file): a bracket or quote is never closed.");
        }
        catch (ArgumentException e)
        {
            throw new BlueprintException($"Invalid YAML: {e.Message}");
        }
        return stream.Documents.Count switch
        {
            0 => throw new BlueprintException("The blueprint is empty."),
            1 => stream.Documents[0].RootNode,
            _ => throw new BlueprintException("A blueprint file holds one YAML document; found several.", at: stream.Documents[1].RootNode.Start),
        };
    }

    /// <summary>Refuses deep nesting before the recursive node loader sees the text (see <see cref="YamlDepth"/>).</summary>
    private static void CheckDepth(string text)
    {
        if (YamlDepth.FirstTooDeep(text, TagResolver.MaxDepth) is { } at)
            throw new BlueprintException($"Values are nested more than {TagResolver.MaxDepth} levels deep.", at: at);
    }

    public static YamlNode? Value(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    private static bool StructuredTextNull(YamlScalarNode s) =>
        s.Style == ScalarStyle.Plain && TagResolver.TagOf(s) == "" && s.Value is "" or "~" or "null" or "Null" or "NULL";

    private static string Describe(YamlException e) => (e.InnerException?.Message ?? e.Message) switch
    {
        var m when m.StartsWith("(Line", StringComparison.Ordinal) => m[(m.IndexOf("):", StringComparison.Ordinal) + 2)..].Trim(),
        var m => m,
    };
}
