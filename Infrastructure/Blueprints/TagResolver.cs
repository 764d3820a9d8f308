using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>Looks up <c>!Find [model, [field, value], …]</c>: the pk of the first match, or null.</summary>
public delegate Task<object?> FindObject(string model, IReadOnlyList<(string Field, object? Value)> query, CancellationToken ct);

/// <summary>
/// Turns a YAML node into a resolved value (see <see cref="BlueprintValues"/>), evaluating authentik's custom tags
/// wherever they stand, nested in each other. One resolver serves one import: its node budget is shared by all
/// entries, so aliases ("billion laughs") and <c>!Enumerate</c> cannot expand a small file into a huge one.
/// </summary>
public sealed class TagResolver(
    IReadOnlyDictionary<string, object?> context, IReadOnlyDictionary<string, object> ids, FindObject find, BlueprintFiles files)
{
    public const int MaxNodes = 100_000;
    public const int MaxDepth = 64;
    public const int MaxText = 1024 * 1024;

    private const string YamlTag = "tag:yaml.org,2002:";
    private int _nodes;

    /// <summary>The <c>!Enumerate</c> loops around the node being resolved, innermost first (depth 0).</summary>
    private sealed record Loop(object? Index, object? Value, Loop? Outer);

    public Task<object?> ResolveAsync(YamlNode node, CancellationToken ct) => Resolve(node, null, 0, ct);

    private async Task<object?> Resolve(YamlNode node, Loop? loop, int depth, CancellationToken ct)
    {
        if (++_nodes > MaxNodes)
            throw new BlueprintException($"The blueprint expands to more than {MaxNodes} values (aliases and !Enumerate included); it is rejected as too large.", at: node.Start);
        if (depth > MaxDepth)
            throw new BlueprintException($"Values are nested more than {MaxDepth} levels deep.", at: node.Start);
        var tag = TagOf(node);
        if (tag.Length > 0 && !tag.StartsWith(YamlTag, StringComparison.Ordinal))
            return await Tag(tag, node, loop, depth, ct);
        switch (node)
        {
            case YamlScalarNode scalar:
                return Scalar(scalar);
            case YamlSequenceNode seq:
                var list = new List<object?>(seq.Children.Count);
                foreach (var item in seq.Children) list.Add(await Resolve(item, loop, depth + 1, ct));
                return list;
            case YamlMappingNode map:
                var dict = new Dictionary<string, object?>(map.Children.Count);
                foreach (var (key, value) in map.Children)
                {
                    var name = await Resolve(key, loop, depth + 1, ct);
                    if (name is null or List<object?> or Dictionary<string, object?>)
                        throw new BlueprintException($"A mapping key must be text, not {BlueprintValues.Kind(name)}.", at: key.Start);
                    dict[BlueprintValues.Display(name)] = await Resolve(value, loop, depth + 1, ct);
                }
                return dict;
            default:
                throw new BlueprintException("Unsupported YAML value.", at: node.Start);
        }
    }

    /// <summary>The node's explicit tag, or "" (YamlDotNet marks quoted scalars with a non-specific tag, which has no value).</summary>
    public static string TagOf(YamlNode node) => node.Tag.IsEmpty || node.Tag.IsNonSpecific ? "" : node.Tag.Value;

    /// <summary>Plain scalars get YAML's core-schema types, as in PyYAML; quoted ones and <c>!!str</c> stay text.</summary>
    private static object? Scalar(YamlScalarNode scalar)
    {
        var v = scalar.Value ?? "";
        if (TagOf(scalar) == YamlTag + "str" || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return v;
        switch (v)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return true;
            case "false" or "False" or "FALSE": return false;
        }
        if (long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
        if (v.Any(char.IsDigit) && double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)) return d;
        return v;
    }

    private async Task<object?> Tag(string tag, YamlNode node, Loop? loop, int depth, CancellationToken ct)
    {
        try
        {
            return tag switch
            {
                "!KeyOf" => KeyOf(Text(node, tag)),
                "!Find" => await Find(Args(node, tag, 1, int.MaxValue), loop, depth, ct),
                "!Context" => await ContextValue(await Lookup(node, tag, loop, depth, ct, key => context.TryGetValue(key, out var v) ? (true, v) : (false, null)), loop, depth, ct),
                "!Env" => await Lookup(node, tag, loop, depth, ct, key => Environment.GetEnvironmentVariable(key) is { } v ? (true, v) : (false, null)),
                "!File" => await Lookup(node, tag, loop, depth, ct, path => files.Read(path) is { } v ? (true, v) : (false, null)),
                "!Format" => await Format(Args(node, tag, 1, int.MaxValue), loop, depth, ct),
                "!Condition" => await Condition(Args(node, tag, 2, int.MaxValue), loop, depth, ct),
                "!If" => await If(Args(node, tag, 1, 3), loop, depth, ct),
                "!Enumerate" => await Enumerate(Args(node, tag, 3, 3), loop, depth, ct),
                "!Index" => Frame(node, tag, loop).Index,
                "!Value" => Frame(node, tag, loop).Value,
                "!AtIndex" => await AtIndex(Args(node, tag, 2, 3), loop, depth, ct),
                "!ParseJSON" => ParseJson(Text(node, tag)),
                _ => throw new BlueprintException(
                    $"Unknown tag '{tag}'. Known tags: !KeyOf, !Find, !Context, !Env, !File, !Format, !Condition, !If, !Enumerate, !Index, !Value, !AtIndex, !ParseJSON."),
            };
        }
        catch (BlueprintException e) when (e.At is null)
        {
            throw new BlueprintException(e.Message, e.Field, node.Start);
        }
    }

    private static IReadOnlyList<YamlNode> Args(YamlNode node, string tag, int min, int max)
    {
        if (node is not YamlSequenceNode seq)
            throw new BlueprintException($"{tag} takes a list: {Usage(tag)}.");
        if (seq.Children.Count < min || seq.Children.Count > max)
            throw new BlueprintException($"{tag} got {seq.Children.Count} arguments: {Usage(tag)}.");
        return seq.Children.ToList();
    }

    private static string Usage(string tag) => tag switch
    {
        "!Find" => "!Find [model, [field, value], …]",
        "!Format" => "!Format [format, arguments…]",
        "!Condition" => "!Condition [AND|NAND|OR|NOR|XOR|XNOR, values…]",
        "!If" => "!If [condition, value if true, value if false] or !If [condition]",
        "!Enumerate" => "!Enumerate [list or mapping, SEQ|MAP, body]",
        "!AtIndex" => "!AtIndex [list or mapping, index or key, default]",
        _ => $"{tag} [key, default]",
    };

    /// <summary>The scalar a tag is written on (<c>!KeyOf flow</c>), taken literally as text.</summary>
    private static string Text(YamlNode node, string tag) =>
        node is YamlScalarNode s ? s.Value ?? "" : throw new BlueprintException($"{tag} takes a single value, e.g. {tag} name.");

    private object KeyOf(string id) =>
        ids.TryGetValue(id, out var pk)
            ? pk
            : throw new BlueprintException($"!KeyOf: no earlier entry with id '{id}' (entries are applied in order; a skipped entry has no object).");

    private async Task<object?> Find(IReadOnlyList<YamlNode> args, Loop? loop, int depth, CancellationToken ct)
    {
        var model = await Resolve(args[0], loop, depth + 1, ct) as string
            ?? throw new BlueprintException("!Find: the first argument must be a model name such as authentik_flows.flow.");
        var query = new List<(string, object?)>();
        foreach (var arg in args.Skip(1))
        {
            if (await Resolve(arg, loop, depth + 1, ct) is not List<object?> { Count: 2 } pair || pair[0] is not string field)
                throw new BlueprintException("!Find: each condition must be a pair [field, value].");
            query.Add((field, pair[1]));
        }
        return await find(model, query, ct);
    }

    private async Task<object?> Lookup(YamlNode node, string tag, Loop? loop, int depth, CancellationToken ct, Func<string, (bool Found, object? Value)> get)
    {
        if (node is YamlSequenceNode)
        {
            var args = Args(node, tag, 1, 2);
            var key = await Resolve(args[0], loop, depth + 1, ct) as string ?? throw new BlueprintException($"{tag}: the key must be text.");
            var (found, value) = get(key);
            if (found) return value;
            return args.Count == 2 ? await Resolve(args[1], loop, depth + 1, ct) : null;
        }
        return get(Text(node, tag)).Value;
    }

    private readonly HashSet<YamlNode> _contextInUse = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// A context value from the file is kept as its node and resolved where <c>!Context</c> asks for it, as authentik
    /// resolves a context value that is itself a tag: it may refer to other context keys, to <c>!Env</c>, to objects
    /// an earlier entry made. A key that leads back to itself is an error, not a loop.
    /// </summary>
    private async Task<object?> ContextValue(object? value, Loop? loop, int depth, CancellationToken ct)
    {
        if (value is not YamlNode node) return value;
        if (!_contextInUse.Add(node))
            throw new BlueprintException("!Context: the context value refers back to itself (through !Context).");
        try { return await Resolve(node, loop, depth + 1, ct); }
        finally { _contextInUse.Remove(node); }
    }

    private async Task<object?> Format(IReadOnlyList<YamlNode> args, Loop? loop, int depth, CancellationToken ct)
    {
        var format = await Resolve(args[0], loop, depth + 1, ct) as string ?? throw new BlueprintException("!Format: the format must be text.");
        var values = new List<object?>();
        foreach (var arg in args.Skip(1)) values.Add(await Resolve(arg, loop, depth + 1, ct));
        return BlueprintValues.Format(format, values, MaxText);
    }

    private static readonly string[] Modes = ["AND", "NAND", "OR", "NOR", "XOR", "XNOR"];

    private async Task<object?> Condition(IReadOnlyList<YamlNode> args, Loop? loop, int depth, CancellationToken ct)
    {
        var mode = await Resolve(args[0], loop, depth + 1, ct) as string;
        if (mode is null || !Modes.Contains(mode))
            throw new BlueprintException($"!Condition: mode '{mode}' is not one of {string.Join(", ", Modes)}.");
        var values = new List<bool>();
        foreach (var arg in args.Skip(1)) values.Add(BlueprintValues.Truthy(await Resolve(arg, loop, depth + 1, ct)));
        var odd = values.Count(v => v) % 2 == 1;
        return mode switch
        {
            "AND" => values.All(v => v),
            "NAND" => !values.All(v => v),
            "OR" => values.Any(v => v),
            "NOR" => !values.Any(v => v),
            "XOR" => odd,
            _ => !odd,
        };
    }

    private async Task<object?> If(IReadOnlyList<YamlNode> args, Loop? loop, int depth, CancellationToken ct)
    {
        if (args.Count == 2) throw new BlueprintException($"!If got 2 arguments: {Usage("!If")}.");
        var condition = BlueprintValues.Truthy(await Resolve(args[0], loop, depth + 1, ct));
        // Only the chosen branch is resolved: the other may well refer to something that does not exist.
        if (args.Count == 1) return condition;
        return await Resolve(condition ? args[1] : args[2], loop, depth + 1, ct);
    }

    private async Task<object?> Enumerate(IReadOnlyList<YamlNode> args, Loop? loop, int depth, CancellationToken ct)
    {
        var iterable = await Resolve(args[0], loop, depth + 1, ct);
        var output = await Resolve(args[1], loop, depth + 1, ct) as string;
        if (output is not ("SEQ" or "MAP"))
            throw new BlueprintException($"!Enumerate: the output must be SEQ or MAP, got '{output}'.");
        IEnumerable<(object? Index, object? Value)> items = iterable switch
        {
            List<object?> list => list.Select((v, i) => ((object?)(long)i, v)),
            Dictionary<string, object?> map => map.Select(p => ((object?)p.Key, p.Value)),
            _ => throw new BlueprintException($"!Enumerate: can only loop over a list or a mapping, got {BlueprintValues.Kind(iterable)}."),
        };
        var seq = new List<object?>();
        var dict = new Dictionary<string, object?>();
        foreach (var (index, value) in items.ToList())
        {
            var body = await Resolve(args[2], new Loop(index, value, loop), depth + 1, ct);
            if (output == "SEQ") seq.Add(body);
            else if (body is List<object?> { Count: 2 } pair && pair[0] is not (null or List<object?> or Dictionary<string, object?>))
                dict[BlueprintValues.Display(pair[0])] = pair[1];
            else if (body is Dictionary<string, object?> part)
                foreach (var (k, v) in part) dict[k] = v;
            else
                throw new BlueprintException("!Enumerate with MAP: the body must give a pair [key, value] (or a mapping).");
        }
        return output == "SEQ" ? seq : dict;
    }

    private static Loop Frame(YamlNode node, string tag, Loop? loop)
    {
        var raw = node is YamlScalarNode s ? s.Value : null;
        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var depth))
            throw new BlueprintException($"{tag} takes a depth: 0 for the innermost !Enumerate, 1 for the one around it, …");
        var frame = loop;
        for (var i = 0; i < depth && frame is not null; i++) frame = frame.Outer;
        return frame ?? throw new BlueprintException(loop is null
            ? $"{tag} is only allowed inside the body of an !Enumerate."
            : $"{tag} {depth}: there are not that many !Enumerate around it.");
    }

    private async Task<object?> AtIndex(IReadOnlyList<YamlNode> args, Loop? loop, int depth, CancellationToken ct)
    {
        var obj = await Resolve(args[0], loop, depth + 1, ct);
        var key = await Resolve(args[1], loop, depth + 1, ct);
        object? found = null;
        var exists = (obj, key) switch
        {
            (List<object?> list, long i) when i >= -list.Count && i < list.Count => (found = list[(int)(i < 0 ? list.Count + i : i)]) is var _,
            (List<object?>, long) => false,
            (Dictionary<string, object?> map, string k) => map.TryGetValue(k, out found),
            (Dictionary<string, object?>, _) => false,
            _ => throw new BlueprintException($"!AtIndex: cannot index {BlueprintValues.Kind(obj)} with {BlueprintValues.Kind(key)}."),
        };
        if (exists) return found;
        if (args.Count == 3) return await Resolve(args[2], loop, depth + 1, ct);
        throw new BlueprintException($"!AtIndex: '{BlueprintValues.Display(key)}' is not in the given {(obj is List<object?> ? "list" : "mapping")} and no default is given.");
    }

    private static object? ParseJson(string text)
    {
        try
        {
            return BlueprintValues.FromJson(JsonNode.Parse(text, null, new JsonDocumentOptions { MaxDepth = MaxDepth }));
        }
        catch (JsonException e)
        {
            throw new BlueprintException($"!ParseJSON: invalid JSON: {e.Message}");
        }
    }
}
