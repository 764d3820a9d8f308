using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Infrastructure;

/// <summary>
/// First start: the blueprints shipped in <c>blueprints/default/</c> are applied once, on a database that has no
/// flow yet and where they were never applied before (the <c>blueprint_applied</c> event marks it), so a fresh
/// install has an invitation enrollment flow and the first invitation can be created at once.
/// Files labelled <c>blueprints.goauthentik.io/instantiate: "false"</c> are examples, applied on demand only. A
/// database with any flow is left alone, so a default flow the admin deleted does not come back on restart.
/// Configuration: <c>Blueprints:ApplyDefaults</c> (default true), <c>Blueprints:Defaults</c> (the folder).
/// </summary>
public static class DefaultBlueprints
{
    public const string InstantiateLabel = "blueprints.goauthentik.io/instantiate";
    public const string AppliedAction = "blueprint_applied";

    /// <returns>The files applied (paths relative to the folder), in order; empty when nothing was to be done.</returns>
    public static async Task<IReadOnlyList<string>> ApplyDefaultBlueprintsAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var config = sp.GetRequiredService<IConfiguration>();
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Enrollment.Blueprints");
        if (!config.GetValue("Blueprints:ApplyDefaults", true)) return [];

        var db = sp.GetRequiredService<AppDbContext>();
        // Once per database: not over flows the admin made, and not again after the admin deleted the default flow.
        if (await db.Flows.AnyAsync(ct) || await db.Events.AnyAsync(e => e.Action == AppliedAction, ct)) return [];

        var folder = Folder(config, sp.GetRequiredService<IHostEnvironment>());
        if (folder is null)
        {
            log.LogWarning("No default blueprints folder found (blueprints/default); no default flow was created.");
            return [];
        }

        var applied = new List<string>();
        var importer = sp.GetRequiredService<BlueprintImporter>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
                     .Where(p => p.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || p.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                     .Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(folder, path).Replace(Path.DirectorySeparatorChar, '/');
            var yaml = await File.ReadAllTextAsync(path, ct);
            var (name, instantiate) = ReadMetadata(yaml);
            if (!instantiate) continue;

            var result = await importer.ImportAsync(yaml, null, dryRun: false, ct);
            if (!result.Success)
            {
                // A shipped default that does not import is a bug; the app still starts, the admin can build flows by hand.
                log.LogError("Default blueprint {Path} was not applied:{NewLine}{Log}", relative, Environment.NewLine, result.ToString());
                continue;
            }
            db.Events.Add(new Event
            {
                Action = AppliedAction,
                User = new JsonObject { ["username"] = "system" },
                Context = new JsonObject { ["blueprint"] = name ?? relative, ["path"] = "default/" + relative, ["reason"] = "first start" },
            });
            await db.SaveChangesAsync(ct);
            applied.Add(relative);
            log.LogInformation("Applied default blueprint {Path} ({Name})", relative, name);
        }
        return applied;
    }

    /// <summary><c>Blueprints:Defaults</c>, else <c>blueprints/default</c> under the content root, else beside the app.</summary>
    public static string? Folder(IConfiguration config, IHostEnvironment env)
    {
        if (config["Blueprints:Defaults"] is { Length: > 0 } configured)
        {
            var full = Path.GetFullPath(configured, env.ContentRootPath);
            return Directory.Exists(full) ? full : null;
        }
        return new[] { env.ContentRootPath, AppContext.BaseDirectory }
            .Select(root => Path.Combine(root, "blueprints", "default"))
            .FirstOrDefault(Directory.Exists);
    }

    /// <summary>The blueprint's metadata name, and whether it is to be applied automatically (its instantiate label is not "false").</summary>
    public static (string? Name, bool Instantiate) ReadMetadata(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root) return (null, true);
            if (!root.Children.TryGetValue(new YamlScalarNode("metadata"), out var metadataNode) || metadataNode is not YamlMappingNode metadata)
                return (null, true);
            var name = metadata.Children.TryGetValue(new YamlScalarNode("name"), out var n) ? (n as YamlScalarNode)?.Value : null;
            var instantiate = !(metadata.Children.TryGetValue(new YamlScalarNode("labels"), out var l) && l is YamlMappingNode labels
                && labels.Children.TryGetValue(new YamlScalarNode(InstantiateLabel), out var v)
                && string.Equals((v as YamlScalarNode)?.Value, "false", StringComparison.OrdinalIgnoreCase));
            return (name, instantiate);
        }
        catch (YamlDotNet.Core.YamlException)
        {
            return (null, true); // the importer reports the error with its line
        }
    }
}
