using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// Applies one entry inside the import's transaction: resolves its tags, finds the object by its identifiers and
/// creates, updates, leaves or deletes it as its <c>state</c> says; then saves, so later entries (and
/// <c>!Find</c>) see it. Records the object's pk under the entry's <c>id</c> for <c>!KeyOf</c>.
/// </summary>
public sealed class EntryApplier(AppDbContext db, ModelRegistry models, TagResolver tags, WriteContext write, Dictionary<string, object> ids)
{
    /// <summary>The models of the entries applied so far (skipped entries left out), by their registered names.</summary>
    public SortedSet<string> Touched { get; } = new(StringComparer.Ordinal);

    private static readonly HashSet<string> EntryKeys = ["model", "state", "id", "identifiers", "attrs", "conditions", "permissions"];
    private static readonly string[] States = ["present", "created", "must_created", "absent"];

    /// <summary>Whether the node is a tag (an <c>!Enumerate</c>, say) that gives entries rather than being one.</summary>
    public static bool Produces(YamlNode node) =>
        TagResolver.TagOf(node) is { Length: > 0 } tag && !tag.StartsWith("tag:yaml.org", StringComparison.Ordinal);

    /// <summary>The entries a tag gives: a list of mappings (or one mapping), resolved now, with everything applied before it visible.</summary>
    public async Task<IReadOnlyList<Dictionary<string, object?>>> ProduceAsync(YamlNode node, CancellationToken ct)
    {
        var produced = await tags.ResolveAsync(node, ct);
        return produced switch
        {
            null => [],
            Dictionary<string, object?> one => [one],
            List<object?> list when list.All(i => i is Dictionary<string, object?>) => list.Cast<Dictionary<string, object?>>().ToList(),
            _ => throw new BlueprintException($"{TagResolver.TagOf(node)} here must give a list of entries (mappings with model, identifiers, attrs…), got {BlueprintValues.Kind(produced)}.", at: node.Start),
        };
    }

    public Task ApplyAsync(YamlNode node, EntryLabel label, List<BlueprintLog> logs, CancellationToken ct)
    {
        if (node is not YamlMappingNode entry)
            throw new BlueprintException("an entry must be a mapping with model, identifiers, attrs…", at: node.Start);
        return ApplyAsync(new NodeEntry(entry, this), label, logs, ct);
    }

    /// <summary>An entry a tag produced, its values resolved already; <paramref name="at"/> is where the tag stands.</summary>
    public Task ApplyAsync(Dictionary<string, object?> entry, YamlDotNet.Core.Mark at, EntryLabel label, List<BlueprintLog> logs, CancellationToken ct) =>
        ApplyAsync(new ResolvedEntry(entry, at), label, logs, ct);

    private async Task ApplyAsync(Entry entry, EntryLabel label, List<BlueprintLog> logs, CancellationToken ct)
    {
        foreach (var (name, line) in entry.Keys)
        {
            if (!EntryKeys.Contains(name))
                logs.Add(label.Log(BlueprintLogLevel.Warning, "unknown entry key, ignored.", name, line));
            else if (name == "permissions")
                logs.Add(label.Log(BlueprintLogLevel.Warning, "object permissions are not supported by Enrollment; ignored.", name, line));
        }

        label.Id = await Text(entry, "id", ct, lenient: true);
        var modelName = await Text(entry, "model", ct) ?? throw new BlueprintException("every entry needs a model.", "model", entry.Start);
        label.Model = modelName;
        var model = models.Get(modelName);

        if (entry.Has("conditions"))
        {
            var conditions = await entry.ValueAsync("conditions", ct);
            var list = conditions as List<object?> ?? throw new BlueprintException("must be a list of values that all have to be true.", "conditions", entry.StartOf("conditions"));
            if (!list.All(BlueprintValues.Truthy))
            {
                logs.Add(label.Log(BlueprintLogLevel.Info, "skipped (conditions false)"));
                return;
            }
        }

        var state = await Text(entry, "state", ct) ?? "present";
        if (!States.Contains(state))
            throw new BlueprintException($"'{state}' is not one of: {string.Join(", ", States)}.", "state");

        var identifiers = await entry.MappingAsync("identifiers", ct);
        var attrs = await entry.MappingAsync("attrs", ct);
        if (identifiers.Count == 0) throw new BlueprintException("an entry needs identifiers (pk or the fields that find its object).", "identifiers", entry.Start);

        Touched.Add(model.Name);
        var existing = await model.FindAsync(db, identifiers.Select(p => (p.Key, p.Value)).ToList(), all: false, ct);
        var description = Describe(identifiers);

        if (state == "absent")
        {
            if (existing is null)
            {
                logs.Add(label.Log(BlueprintLogLevel.Info, $"skipped: {modelName} {description} does not exist"));
                return;
            }
            model.Remove(db, existing);
            await SaveAsync(ct);
            logs.Add(label.Log(BlueprintLogLevel.Info, $"deleted {modelName} {description}"));
            return;
        }
        if (existing is not null && state == "must_created")
            throw new BlueprintException($"{modelName} {description} already exists (state must_created).", "identifiers");
        if (existing is not null && state == "created")
        {
            Remember(label, model.Pk(existing));
            logs.Add(label.Log(BlueprintLogLevel.Info, $"unchanged: {modelName} {description} exists (state created)"));
            return;
        }

        var creating = existing is null;
        var entity = existing ?? model.Create();
        // attrs first, identifiers last: when both name a field, the identifier is what found (or will find) the object.
        var given = new HashSet<string>();
        foreach (var (field, value) in attrs.Concat(identifiers))
        {
            if (field == "pk" && !creating) continue;
            if (model.Ignores(field))
            {
                logs.Add(label.Log(BlueprintLogLevel.Warning, "not modelled by Enrollment; ignored.", field));
                continue;
            }
            await model.WriteAsync(entity, field, value, write);
            given.Add(field);
        }
        model.Check(entity, creating, given);
        if (creating) model.Add(db, entity);

        db.ChangeTracker.DetectChanges();
        var changed = db.ChangeTracker.HasChanges();
        await SaveAsync(ct);
        Remember(label, model.Pk(entity));
        logs.Add(label.Log(BlueprintLogLevel.Info, creating ? $"created {modelName} {description}" : changed ? $"updated {modelName} {description}" : $"unchanged: {modelName} {description}"));
    }

    private void Remember(EntryLabel label, object pk)
    {
        if (label.Id is { } id) ids[id] = pk;
    }

    /// <summary>Saves this entry's changes; a constraint the checks above did not catch still fails this entry.</summary>
    private async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            // What is saved need not stay tracked: otherwise every later save re-checks every earlier object, and a
            // large blueprint costs the square of its size. Later entries find their objects by query.
            db.ChangeTracker.Clear();
        }
        catch (DbUpdateException e)
        {
            throw new BlueprintException($"the database refused the change: {(e.InnerException ?? e).Message}");
        }
    }

    private async Task<object?> Resolve(YamlNode node, string field, CancellationToken ct)
    {
        try { return await tags.ResolveAsync(node, ct); }
        catch (BlueprintException e) { throw e.InField(field); }
    }

    /// <param name="lenient">Accept a number as text (<c>id: 1</c> is a fine id).</param>
    private static async Task<string?> Text(Entry entry, string key, CancellationToken ct, bool lenient = false)
    {
        if (!entry.Has(key)) return null;
        return await entry.ValueAsync(key, ct) switch
        {
            null => null,
            string s => s,
            var n and (long or double) when lenient => BlueprintValues.Display(n),
            var other => throw new BlueprintException($"must be text, got {BlueprintValues.Kind(other)}.", key, entry.StartOf(key)),
        };
    }

    /// <summary>One entry, read key by key: from the file's nodes (tags resolved as they are read) or as a tag produced it.</summary>
    private abstract class Entry
    {
        public abstract YamlDotNet.Core.Mark Start { get; }
        public abstract IEnumerable<(string Name, int? Line)> Keys { get; }
        public abstract bool Has(string key);
        public abstract YamlDotNet.Core.Mark StartOf(string key);
        public abstract Task<object?> ValueAsync(string key, CancellationToken ct);
        public abstract Task<Dictionary<string, object?>> MappingAsync(string key, CancellationToken ct);

        protected static Dictionary<string, object?> AsMapping(object? value, string key, YamlDotNet.Core.Mark at) => value switch
        {
            null => [],
            Dictionary<string, object?> resolved => resolved,
            var other => throw new BlueprintException($"must be a mapping of field: value, got {BlueprintValues.Kind(other)}.", key, at),
        };
    }

    private sealed class NodeEntry(YamlMappingNode node, EntryApplier applier) : Entry
    {
        public override YamlDotNet.Core.Mark Start => node.Start;
        public override IEnumerable<(string Name, int? Line)> Keys => node.Children.Keys.Select(k => ((k as YamlScalarNode)?.Value ?? "", (int?)k.Start.Line));
        public override bool Has(string key) => BlueprintReader.Value(node, key) is not null;
        public override YamlDotNet.Core.Mark StartOf(string key) => BlueprintReader.Value(node, key)?.Start ?? node.Start;
        public override Task<object?> ValueAsync(string key, CancellationToken ct) => applier.Resolve(BlueprintReader.Value(node, key)!, key, ct);

        public override async Task<Dictionary<string, object?>> MappingAsync(string key, CancellationToken ct)
        {
            if (BlueprintReader.Value(node, key) is not { } value) return [];
            if (value is YamlMappingNode map && TagResolver.TagOf(map) == "")
            {
                // Field by field, so that an error inside a tag names the field it stands in.
                var fields = new Dictionary<string, object?>();
                foreach (var (k, v) in map.Children)
                {
                    var name = k is YamlScalarNode { Value: { } text } && TagResolver.TagOf(k) == "" ? text : await applier.Resolve(k, key, ct) as string
                        ?? throw new BlueprintException("field names must be text.", key, k.Start);
                    fields[name] = await applier.Resolve(v, name, ct);
                }
                return fields;
            }
            return AsMapping(await applier.Resolve(value, key, ct), key, value.Start);
        }
    }

    private sealed class ResolvedEntry(Dictionary<string, object?> values, YamlDotNet.Core.Mark at) : Entry
    {
        public override YamlDotNet.Core.Mark Start => at;
        public override IEnumerable<(string Name, int? Line)> Keys => values.Keys.Select(k => (k, (int?)null));
        public override bool Has(string key) => values.ContainsKey(key);
        public override YamlDotNet.Core.Mark StartOf(string key) => at;
        public override Task<object?> ValueAsync(string key, CancellationToken ct) => Task.FromResult(values.GetValueOrDefault(key));
        public override Task<Dictionary<string, object?>> MappingAsync(string key, CancellationToken ct) =>
            Task.FromResult(AsMapping(values.GetValueOrDefault(key), key, at));
    }

    private static string Describe(Dictionary<string, object?> identifiers) =>
        string.Join(" ", identifiers.Select(p => $"{p.Key}={Short(BlueprintValues.Display(p.Value))}"));

    private static string Short(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
