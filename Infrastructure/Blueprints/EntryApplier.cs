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
    private static readonly HashSet<string> EntryKeys = ["model", "state", "id", "identifiers", "attrs", "conditions", "permissions"];
    private static readonly string[] States = ["present", "created", "must_created", "absent"];

    public async Task ApplyAsync(YamlNode node, EntryLabel label, List<BlueprintLog> logs, CancellationToken ct)
    {
        if (node is not YamlMappingNode entry)
            throw new BlueprintException("an entry must be a mapping with model, identifiers, attrs…", at: node.Start);

        foreach (var key in entry.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!EntryKeys.Contains(name))
                logs.Add(label.Log(BlueprintLogLevel.Warning, "unknown entry key, ignored.", name, (int)key.Start.Line));
            else if (name == "permissions")
                logs.Add(label.Log(BlueprintLogLevel.Warning, "object permissions are not supported by Enrollment; ignored.", name, (int)key.Start.Line));
        }

        label.Id = await Text(entry, "id", ct, lenient: true);
        var modelName = await Text(entry, "model", ct) ?? throw new BlueprintException("every entry needs a model.", "model", entry.Start);
        label.Model = modelName;
        var model = models.Get(modelName);

        if (BlueprintReader.Value(entry, "conditions") is { } conditionsNode)
        {
            var conditions = await Resolve(conditionsNode, "conditions", ct);
            var list = conditions as List<object?> ?? throw new BlueprintException("must be a list of values that all have to be true.", "conditions", conditionsNode.Start);
            if (!list.All(BlueprintValues.Truthy))
            {
                logs.Add(label.Log(BlueprintLogLevel.Info, "skipped (conditions false)"));
                return;
            }
        }

        var state = await Text(entry, "state", ct) ?? "present";
        if (!States.Contains(state))
            throw new BlueprintException($"'{state}' is not one of: {string.Join(", ", States)}.", "state");

        var identifiers = await Mapping(entry, "identifiers", ct);
        var attrs = await Mapping(entry, "attrs", ct);
        if (identifiers.Count == 0) throw new BlueprintException("an entry needs identifiers (pk or the fields that find its object).", "identifiers", entry.Start);

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
    private async Task<string?> Text(YamlMappingNode entry, string key, CancellationToken ct, bool lenient = false)
    {
        if (BlueprintReader.Value(entry, key) is not { } node) return null;
        return await Resolve(node, key, ct) switch
        {
            null => null,
            string s => s,
            var n and (long or double) when lenient => BlueprintValues.Display(n),
            var other => throw new BlueprintException($"must be text, got {BlueprintValues.Kind(other)}.", key, node.Start),
        };
    }

    private async Task<Dictionary<string, object?>> Mapping(YamlMappingNode entry, string key, CancellationToken ct)
    {
        if (BlueprintReader.Value(entry, key) is not { } node) return [];
        if (node is YamlMappingNode map && TagResolver.TagOf(map) == "")
        {
            // Field by field, so that an error inside a tag names the field it stands in.
            var fields = new Dictionary<string, object?>();
            foreach (var (k, v) in map.Children)
            {
                var name = k is YamlScalarNode { Value: { } text } && TagResolver.TagOf(k) == "" ? text : await Resolve(k, key, ct) as string
                    ?? throw new BlueprintException("field names must be text.", key, k.Start);
                fields[name] = await Resolve(v, name, ct);
            }
            return fields;
        }
        return await Resolve(node, key, ct) switch
        {
            null => [],
            Dictionary<string, object?> resolved => resolved,
            var other => throw new BlueprintException($"must be a mapping of field: value, got {BlueprintValues.Kind(other)}.", key, node.Start),
        };
    }

    private static string Describe(Dictionary<string, object?> identifiers) =>
        string.Join(" ", identifiers.Select(p => $"{p.Key}={Short(BlueprintValues.Display(p.Value))}"));

    private static string Short(string s) => s.Length > 60 ? s[..60] + "…" : s;
}
