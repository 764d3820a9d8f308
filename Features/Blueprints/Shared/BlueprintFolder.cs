using Enrollment.Infrastructure.Blueprints;
using Microsoft.Extensions.Options;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Features.Blueprints.Shared;

/// <summary>
/// The blueprint files shipped with the product: the engine's folder (<c>Blueprints:Root</c>, default the app's
/// <c>blueprints</c> folder). Paths come from query strings, so they are untrusted: relative, no <c>..</c>, inside the
/// folder after symbolic links are followed, and YAML files only.
/// </summary>
public sealed class BlueprintFolder(IOptions<BlueprintOptions> options, IHostEnvironment env)
{
    public const long MaxFileBytes = UploadLimits.MaxFileBytes;

    public string Root { get; } = Path.TrimEndingDirectorySeparator(BlueprintFiles.RootFor(options.Value.Root, env.ContentRootPath));

    public IReadOnlyList<string> Files()
    {
        if (!Directory.Exists(Root)) return [];
        return Directory.EnumerateFiles(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true })
            .Where(IsYaml)
            .Select(f => Path.GetRelativePath(Root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    public enum Check { Ok, Invalid, NotFound }

    /// <summary>Whether <paramref name="relative"/> names a YAML file under the folder; <paramref name="full"/> is its path.</summary>
    public Check Resolve(string? relative, out string full)
    {
        full = "";
        if (string.IsNullOrWhiteSpace(relative) || relative.Contains('\0') || Path.IsPathRooted(relative) || relative.StartsWith('~')
            || relative.Split('/', '\\').Any(part => part is ".." or "." or "") || !IsYaml(relative))
            return Check.Invalid;
        var candidate = Path.GetFullPath(relative, Root);
        if (!candidate.StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal)) return Check.Invalid;
        var info = new FileInfo(candidate);
        if (!info.Exists) return Check.NotFound;
        // A link inside the folder (the file or a folder on its way) must not lead out of it.
        var current = Root;
        foreach (var part in relative.Split('/', '\\'))
        {
            current = Path.Combine(current, part);
            FileSystemInfo step = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (step.LinkTarget is not null && step.ResolveLinkTarget(returnFinalTarget: true) is { } target
                && !Path.GetFullPath(target.FullName).StartsWith(Root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                return Check.Invalid;
        }
        full = candidate;
        return Check.Ok;
    }

    /// <summary>Name, labels and context defaults from the file's YAML, without resolving tags; a broken file gives its error.</summary>
    public BlueprintInfo Read(string relative, string full)
    {
        var empty = new Dictionary<string, string>();
        try
        {
            if (new FileInfo(full).Length > MaxFileBytes) return new(relative, null, empty, [], $"larger than {MaxFileBytes / 1024 / 1024} MB.");
            var stream = new YamlStream();
            using (var reader = File.OpenText(full)) stream.Load(reader);
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
                return new(relative, null, empty, [], "not a blueprint: the file is not a YAML mapping.");
            var metadata = Child(root, "metadata") as YamlMappingNode;
            var name = (metadata is null ? null : Child(metadata, "name")) is YamlScalarNode n ? n.Value : null;
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if ((metadata is null ? null : Child(metadata, "labels")) is YamlMappingNode labelNode)
                foreach (var (k, v) in labelNode.Children)
                    if (k is YamlScalarNode { Value: { } key }) labels[key] = v is YamlScalarNode s ? s.Value ?? "" : v.ToString();
            var context = new List<ContextKey>();
            if (Child(root, "context") is YamlMappingNode contextNode)
                foreach (var (k, v) in contextNode.Children)
                {
                    if (k is not YamlScalarNode { Value: { } key }) continue;
                    context.Add(v switch
                    {
                        YamlScalarNode s when Tag(s) is "" || Tag(s).StartsWith("tag:yaml.org", StringComparison.Ordinal) => new ContextKey(key, s.Value ?? "", null),
                        _ => new ContextKey(key, null, Tag(v) is "" ? "default: a list or mapping; set it in the free context below." : $"default computed by {Tag(v)}"),
                    });
                }
            var version = Child(root, "version") is YamlScalarNode { Value: "1" } ? null : "version is not 1: the import will refuse it.";
            return new(relative, name, labels, context, version);
        }
        catch (YamlException e)
        {
            return new(relative, null, empty, [], $"line {e.Start.Line}: {e.Message}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return new(relative, null, empty, [], $"cannot be read: {e.Message}");
        }
    }

    /// <summary>The explicit tag, or "" (plain and quoted scalars have an empty or non-specific tag, which has no value).</summary>
    private static string Tag(YamlNode node) => node.Tag.IsEmpty || node.Tag.IsNonSpecific ? "" : node.Tag.Value;

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static bool IsYaml(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
}
