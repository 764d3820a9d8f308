using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// Blueprint instances, as authentik keeps them: every YAML file under the blueprints folder that is not an example
/// (label <c>blueprints.goauthentik.io/instantiate: "false"</c>) has an instance, created when the file is first
/// found; an enabled instance is applied when its text differs from the text last tried (SHA-512), so an unchanged
/// file is not applied again and a failing one is not retried until it changes. A file that is gone marks its
/// instance <c>orphaned</c>. Instances made through the API with <c>content</c> instead of a path are applied the same
/// way. Discovery is called at start (inside the start-up lock) and by <see cref="BlueprintWatcher"/> (which takes
/// the same lock), so two servers never apply one change both.
/// </summary>
public sealed class BlueprintInstances(AppDbContext db, BlueprintImporter importer, BlueprintFiles files, IConfiguration config, ILogger<BlueprintInstances> log)
{
    private sealed record Found(string Path, string? Text, string Hash, BlueprintMetadata Metadata, string? Error);

    /// <summary>What discovery would do now: true when a file is new, changed or gone, or an instance awaits its first apply.</summary>
    public async Task<bool> PendingAsync(CancellationToken ct)
    {
        var found = Scan();
        var instances = await db.BlueprintInstances.AsNoTracking()
            .Select(i => new { i.Path, i.Content, i.AttemptedHash, i.Enabled, i.Status }).ToListAsync(ct);
        var byPath = instances.Where(i => i.Path != "").ToDictionary(i => i.Path, StringComparer.Ordinal);
        foreach (var file in found)
        {
            if (!byPath.TryGetValue(file.Path, out var instance)) return true;
            if (instance.Enabled && instance.AttemptedHash != file.Hash) return true;
        }
        var present = files.List().ToHashSet(StringComparer.Ordinal);
        return instances.Any(i => i.Path != "" && !present.Contains(i.Path) && i.Status != BlueprintInstanceStatus.Orphaned)
               || instances.Any(i => i.Path == "" && i.Enabled && i.Content != "" && i.AttemptedHash != BlueprintFiles.Hash(i.Content));
    }

    /// <summary>Finds the files, creates their instances, applies what changed, marks what is gone.</summary>
    /// <returns>The paths (files) and names (content instances) applied successfully, in order.</returns>
    public async Task<IReadOnlyList<string>> DiscoverAsync(CancellationToken ct)
    {
        var applied = new List<string>();
        var found = Scan();
        var firstStart = !await db.Flows.AnyAsync(ct) && !await db.Events.AnyAsync(e => e.Action == DefaultBlueprints.AppliedAction, ct)
                         && !await db.BlueprintInstances.AnyAsync(ct);
        var defaults = DefaultBlueprints.Prefix(config);

        foreach (var file in found)
        {
            var isDefault = defaults is not null && file.Path.StartsWith(defaults, StringComparison.Ordinal);
            var instance = await db.BlueprintInstances.SingleOrDefaultAsync(i => i.Path == file.Path, ct);
            if (instance is null)
            {
                instance = new BlueprintInstance { Name = await FreeNameAsync(file.Metadata.Name ?? file.Path, file.Path, ct), Path = file.Path, Metadata = file.Metadata.ToJson() };
                // A default found on a database in use is recorded, not applied (see DefaultBlueprints).
                if (isDefault && !firstStart) instance.AttemptedHash = file.Hash;
                db.BlueprintInstances.Add(instance);
                await db.SaveChangesAsync(ct);
                log.LogInformation("Found blueprint {Path}: instance {Name}", file.Path, instance.Name);
            }
            if (!instance.Enabled || instance.AttemptedHash == file.Hash) continue;
            var result = await ApplyAsync(instance.Id, file, ct);
            if (result?.Success != true) continue;
            applied.Add(file.Path);
            if (isDefault && firstStart) await RecordFirstStartAsync(file, ct);
        }

        var present = files.List().ToHashSet(StringComparer.Ordinal);
        foreach (var gone in await db.BlueprintInstances.Where(i => i.Path != "" && i.Status != BlueprintInstanceStatus.Orphaned).ToListAsync(ct))
        {
            if (present.Contains(gone.Path)) continue;
            gone.Status = BlueprintInstanceStatus.Orphaned;
            log.LogWarning("Blueprint {Path} of instance {Name} is gone: the instance is orphaned", gone.Path, gone.Name);
        }
        await db.SaveChangesAsync(ct);

        foreach (var content in await db.BlueprintInstances.AsNoTracking().Where(i => i.Path == "" && i.Enabled && i.Content != "").ToListAsync(ct))
        {
            if (content.AttemptedHash == BlueprintFiles.Hash(content.Content)) continue;
            if ((await ApplyAsync(content.Id, ct))?.Success == true) applied.Add(content.Name);
        }
        return applied;
    }

    /// <summary>
    /// Applies one instance now, whatever its hash (the API's and the admin's Apply). A disabled instance is left as
    /// it is, as authentik does. Null when there is no such instance.
    /// </summary>
    public async Task<BlueprintResult?> ApplyAsync(Guid id, CancellationToken ct)
    {
        var instance = await db.BlueprintInstances.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (instance is null) return null;
        if (!instance.Enabled) return new BlueprintResult(true, [new BlueprintLog(BlueprintLogLevel.Info, "the instance is disabled; not applied.")]);
        if (!instance.IsFile) return await ApplyAsync(id, new Found("", instance.Content, BlueprintFiles.Hash(instance.Content), BlueprintMetadata.Read(instance.Content), null), ct);
        var file = Scan(instance.Path);
        if (file is null)
        {
            await UpdateAsync(id, i => i.Status = BlueprintInstanceStatus.Orphaned, ct);
            return new BlueprintResult(false, [new BlueprintLog(BlueprintLogLevel.Error, $"the file '{instance.Path}' is not in the blueprints folder.", Field: "path")]);
        }
        return await ApplyAsync(id, file, ct);
    }

    private async Task<BlueprintResult?> ApplyAsync(Guid id, Found file, CancellationToken ct)
    {
        var context = await db.BlueprintInstances.AsNoTracking().Where(i => i.Id == id).Select(i => i.Context).SingleAsync(ct);
        var result = file.Text is null
            ? new BlueprintResult(false, [new BlueprintLog(BlueprintLogLevel.Error, file.Error ?? "the file cannot be read.", Field: "path")])
            : await importer.ImportAsync(file.Text, context.ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone()), dryRun: false, ct);
        await UpdateAsync(id, i =>
        {
            i.AttemptedHash = file.Hash;
            i.LastApplied = DateTime.UtcNow;
            i.LastLog = new JsonArray(result.Logs.Select(l => (JsonNode?)LogJson(l)).ToArray());
            if (file.Text is not null) i.Metadata = file.Metadata.ToJson();
            if (!result.Success)
            {
                i.Status = BlueprintInstanceStatus.Error;
                return;
            }
            i.Status = result.Logs.Any(l => l.Level == BlueprintLogLevel.Warning) ? BlueprintInstanceStatus.Warning : BlueprintInstanceStatus.Successful;
            i.LastAppliedHash = file.Hash;
            i.ManagedModels = new JsonArray(result.ManagedModels.Select(m => (JsonNode?)JsonValue.Create(m)).ToArray());
        }, ct);
        if (result.Success) log.LogInformation("Applied blueprint instance {Id} ({Path})", id, file.Path);
        else log.LogError("Blueprint instance {Id} ({Path}) failed:{NewLine}{Log}", id, file.Path, Environment.NewLine, result.ToString());
        return result;
    }

    /// <summary>authentik's log line fields, with the entry, id, model, field and line of the engine's log.</summary>
    public static JsonObject LogJson(BlueprintLog log) => new()
    {
        ["log_level"] = log.Level switch { BlueprintLogLevel.Error => "error", BlueprintLogLevel.Warning => "warning", _ => "info" },
        ["event"] = log.Message,
        ["entry"] = log.Entry,
        ["id"] = log.Id,
        ["model"] = log.Model,
        ["field"] = log.Field,
        ["line"] = log.Line,
    };

    private async Task UpdateAsync(Guid id, Action<BlueprintInstance> change, CancellationToken ct)
    {
        // The importer clears the change tracker; the instance is read afresh to write its outcome.
        db.ChangeTracker.Clear();
        var instance = await db.BlueprintInstances.SingleAsync(i => i.Id == id, ct);
        change(instance);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private async Task RecordFirstStartAsync(Found file, CancellationToken ct)
    {
        db.Events.Add(new Event
        {
            Action = DefaultBlueprints.AppliedAction,
            User = new JsonObject { ["username"] = "system" },
            Context = new JsonObject { ["blueprint"] = file.Metadata.Name ?? file.Path, ["path"] = file.Path, ["reason"] = "first start" },
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Instance names are unique: a second file with the same metadata name gets its path added.</summary>
    private async Task<string> FreeNameAsync(string name, string path, CancellationToken ct)
    {
        name = name.Length > BlueprintInstance.MaxNameLength ? name[..BlueprintInstance.MaxNameLength] : name;
        if (!await db.BlueprintInstances.AnyAsync(i => i.Name == name, ct)) return name;
        var withPath = $"{name} ({path})";
        return withPath.Length > BlueprintInstance.MaxNameLength ? path[..Math.Min(path.Length, BlueprintInstance.MaxNameLength)] : withPath;
    }

    /// <summary>The instantiated files under the folder (examples left out), each read and hashed.</summary>
    private List<Found> Scan()
    {
        var defaults = DefaultBlueprints.Enabled(config) ? null : DefaultBlueprints.Prefix(config);
        return files.List().Where(p => defaults is null || !p.StartsWith(defaults, StringComparison.Ordinal))
            .Select(Scan).OfType<Found>().Where(f => f.Metadata.Instantiate).ToList();
    }

    private Found? Scan(string path)
    {
        try
        {
            if (files.ReadBlueprint(path) is not { } read) return null;
            return new Found(path, read.Text, BlueprintFiles.Hash(read.Text), BlueprintMetadata.Read(read.Text), null);
        }
        catch (BlueprintException e)
        {
            // Too large or outside the folder through a link: an instance in error, with the reason in its log.
            return new Found(path, null, "unreadable:" + BlueprintFiles.Hash(e.Message), new BlueprintMetadata(null, new Dictionary<string, string>()), e.Message);
        }
    }
}
