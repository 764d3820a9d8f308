using YamlDotNet.RepresentationModel;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// YAML merge keys (<c>&lt;&lt;: *anchor</c>, or a list of anchors), as PyYAML reads them for authentik: the merged
/// mappings' keys are added to the mapping, its own keys win, and of several merged mappings the earlier wins.
/// YamlDotNet's node model keeps <c>&lt;&lt;</c> as an ordinary key, so the tree is rewritten once after parsing.
/// Merged values are the same node objects (not copies), so merging cannot blow a small file up; aliases are shared
/// nodes already, and the <see cref="TagResolver"/> budget bounds their expansion.
/// </summary>
public static class YamlMergeKeys
{
    private const string MergeTag = "tag:yaml.org,2002:merge";

    public static void Expand(YamlNode root)
    {
        var done = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        var busy = new HashSet<YamlNode>(ReferenceEqualityComparer.Instance);
        Visit(root, done, busy);
    }

    private static void Visit(YamlNode node, HashSet<YamlNode> done, HashSet<YamlNode> busy)
    {
        if (done.Contains(node)) return;
        if (!busy.Add(node)) throw new BlueprintException("A merge key (<<) refers to the mapping it stands in.", at: node.Start);
        switch (node)
        {
            case YamlSequenceNode seq:
                foreach (var child in seq.Children) Visit(child, done, busy);
                break;
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children.ToList())
                {
                    Visit(key, done, busy);
                    Visit(value, done, busy);
                }
                Merge(map);
                break;
        }
        busy.Remove(node);
        done.Add(node);
    }

    private static bool IsMergeKey(YamlNode key) =>
        key is YamlScalarNode { Value: "<<", Style: YamlDotNet.Core.ScalarStyle.Plain } s
        && (TagResolver.TagOf(s) is "" or MergeTag);

    /// <summary>Rewrites <paramref name="map"/> with its merge keys replaced by the keys they bring (their own merges are done already).</summary>
    private static void Merge(YamlMappingNode map)
    {
        if (!map.Children.Keys.Any(IsMergeKey)) return;
        var own = map.Children.Where(p => !IsMergeKey(p.Key)).ToList();
        var merged = new List<KeyValuePair<YamlNode, YamlNode>>();
        var seen = new HashSet<YamlNode>(own.Select(p => p.Key));
        foreach (var (key, value) in map.Children.Where(p => IsMergeKey(p.Key)).ToList())
        {
            var sources = value switch
            {
                YamlMappingNode m when TagResolver.TagOf(m) == "" => [m],
                YamlSequenceNode s when s.Children.All(c => c is YamlMappingNode) => s.Children.Cast<YamlMappingNode>().ToList(),
                _ => throw new BlueprintException("A merge key (<<) takes a mapping (<<: *anchor) or a list of mappings (<<: [*a, *b]).", at: key.Start),
            };
            foreach (var source in sources)
                foreach (var pair in source.Children)
                    if (seen.Add(pair.Key)) merged.Add(pair);
        }
        // PyYAML's order: the merged keys first, then the mapping's own.
        map.Children.Clear();
        foreach (var (k, v) in merged.Concat(own)) map.Children.Add(k, v);
    }
}
