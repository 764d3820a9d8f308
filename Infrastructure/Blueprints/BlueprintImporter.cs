using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// Imports an authentik blueprint (YAML, version 1) into the database, all or nothing: one transaction per import,
/// rolled back on the first error, or always for a dry run (which still runs every entry, so it validates
/// references, constraints and all). Blueprints are untrusted input: size, alias expansion and file access are
/// bounded (see <see cref="BlueprintReader"/>, <see cref="TagResolver"/>, <see cref="BlueprintFiles"/>).
/// </summary>
public sealed class BlueprintImporter(
    AppDbContext db, ModelRegistry models, BlueprintFiles files, IPasswordHasher<User> hasher, ILookupNormalizer normalizer,
    Python.PythonExpressions? python = null, UserManager<User>? users = null)
{
    public async Task<BlueprintResult> ImportAsync(string yaml, IReadOnlyDictionary<string, object?>? context, bool dryRun, CancellationToken ct)
    {
        var logs = new List<BlueprintLog>();
        BlueprintDocument document;
        try
        {
            document = BlueprintReader.Read(yaml);
        }
        catch (BlueprintException e)
        {
            logs.Add(new BlueprintLog(BlueprintLogLevel.Error, e.Message, Field: e.Field, Line: e.Line));
            return new BlueprintResult(false, logs);
        }
        foreach (var key in document.UnknownKeys)
            logs.Add(new BlueprintLog(BlueprintLogLevel.Warning, "unknown top-level key, ignored.", Field: key));

        // A transient failure (PostgreSQL, SQL Server) runs the import again from the start, with a clean log.
        var read = logs.Count;
        return await db.RetryingAsync(async _ =>
        {
            logs.RemoveRange(read, logs.Count - read);
            var ids = new Dictionary<string, object>(StringComparer.Ordinal);
            var merged = new Dictionary<string, object?>(StringComparer.Ordinal);
            var tags = new TagResolver(merged, ids, FindAsync, files);
            var label = new EntryLabel(-1);
            int? entryLine = null;
            IReadOnlyList<string> touched = [];
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await ReadHeaderAsync(document, context, merged, tags, logs, ct);
                var applier = new EntryApplier(db, models, tags, new WriteContext(db, hasher, normalizer, ct, python, users), ids);
                // Entries are numbered in the order they are applied; a tag that gives several entries gives each its number.
                var index = 0;
                foreach (var node in document.Entries)
                {
                    label = new EntryLabel(index);
                    entryLine = (int)node.Start.Line;
                    if (!EntryApplier.Produces(node))
                    {
                        index++;
                        await applier.ApplyAsync(node, label, logs, ct);
                        continue;
                    }
                    foreach (var produced in await applier.ProduceAsync(node, ct))
                    {
                        label = new EntryLabel(index++);
                        await applier.ApplyAsync(produced, node.Start, label, logs, ct);
                    }
                }
                touched = applier.Touched.ToList();
                if (dryRun)
                {
                    await transaction.RollbackAsync(ct);
                    logs.Add(new BlueprintLog(BlueprintLogLevel.Info, "dry run: valid; nothing was saved."));
                }
                else
                {
                    await transaction.CommitAsync(ct);
                }
                return new BlueprintResult(true, logs) { ManagedModels = touched };
            }
            catch (BlueprintException e)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                logs.Add(label.Index >= 0
                    ? label.Log(BlueprintLogLevel.Error, e.Message, e.Field, e.Line ?? entryLine)
                    : new BlueprintLog(BlueprintLogLevel.Error, e.Message, Field: e.Field, Line: e.Line));
                logs.Add(new BlueprintLog(BlueprintLogLevel.Info, "nothing was saved: the import is all or nothing."));
                return new BlueprintResult(false, logs);
            }
            finally
            {
                // Objects of a rolled-back import must not leak into later use of this DbContext.
                db.ChangeTracker.Clear();
            }
        }, ct);
    }

    /// <summary>The file's <c>context</c> holds defaults; the caller's context overrides them.</summary>
    private static async Task ReadHeaderAsync(BlueprintDocument document, IReadOnlyDictionary<string, object?>? given,
        Dictionary<string, object?> merged, TagResolver tags, List<BlueprintLog> logs, CancellationToken ct)
    {
        foreach (var (key, value) in given ?? new Dictionary<string, object?>()) merged[key] = BlueprintValues.Normalize(value);
        if (document.Context is YamlMappingNode { } contextMap && TagResolver.TagOf(contextMap) == "")
        {
            // Kept as nodes: a value that is a tag is resolved where !Context uses it (see TagResolver).
            foreach (var (keyNode, valueNode) in contextMap.Children)
            {
                if (keyNode is not YamlScalarNode { Value: { } key } || TagResolver.TagOf(keyNode) != "")
                    throw new BlueprintException("context keys must be plain text.", "context", keyNode.Start);
                merged.TryAdd(key, valueNode);
            }
        }
        else if (document.Context is { } contextNode)
        {
            var defaults = await Resolve(tags, contextNode, "context", ct) switch
            {
                null => [],
                Dictionary<string, object?> map => map,
                _ => throw new BlueprintException("must be a mapping of name: default value.", "context", contextNode.Start),
            };
            foreach (var (key, value) in defaults) merged.TryAdd(key, value);
        }
        if (document.Metadata is { } metadataNode)
        {
            var metadata = await Resolve(tags, metadataNode, "metadata", ct) as Dictionary<string, object?>
                ?? throw new BlueprintException("must be a mapping with name and labels.", "metadata", metadataNode.Start);
            if (metadata.TryGetValue("name", out var name) && name is not null)
                logs.Add(new BlueprintLog(BlueprintLogLevel.Info, $"blueprint '{BlueprintValues.Display(name)}'"));
        }
    }

    private static async Task<object?> Resolve(TagResolver tags, YamlDotNet.RepresentationModel.YamlNode node, string field, CancellationToken ct)
    {
        try { return await tags.ResolveAsync(node, ct); }
        catch (BlueprintException e) { throw e.InField(field); }
    }

    private async Task<object?> FindAsync(string model, IReadOnlyList<(string Field, object? Value)> query, CancellationToken ct)
    {
        if (query.Count == 0) throw new BlueprintException("!Find needs at least one [field, value] pair.");
        try
        {
            var definition = models.Get(model);
            return await definition.FindAsync(db, query, all: true, ct) is { } found ? definition.Pk(found) : null;
        }
        catch (BlueprintException e)
        {
            throw new BlueprintException(e.Field is null or "model" ? $"!Find: {e.Message}" : $"!Find {model}: field '{e.Field}' {e.Message}");
        }
    }
}
