using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Blueprints;

/// <summary>
/// Creates (<see cref="Command.Id"/> null) or updates a blueprint instance from a request body, validated as
/// authentik's serializer: <c>name</c> required unless partial, unique; <c>path</c> a file under the blueprints folder
/// (authentik's "Blueprint file does not exist"); <c>context</c> an object; <c>content</c> a blueprint that validates
/// (a dry run). Read-only and unknown fields are ignored. The watcher applies a new or changed instance on its next round;
/// <c>apply/</c> applies at once.
/// </summary>
public static class SaveBlueprintInstance
{
    public sealed record Command(Guid? Id, JsonObject Body, bool Partial) : ICommand<ApiResult<BlueprintInstanceJson>>;

    internal sealed class Handler(AppDbContext db, BlueprintFiles files, BlueprintImporter importer) : ICommandHandler<Command, ApiResult<BlueprintInstanceJson>>
    {
        public async ValueTask<ApiResult<BlueprintInstanceJson>> Handle(Command command, CancellationToken ct)
        {
            BlueprintInstance? instance = null;
            if (command.Id is { } id && (instance = await db.BlueprintInstances.SingleOrDefaultAsync(i => i.Id == id, ct)) is null)
                return ApiResult<BlueprintInstanceJson>.NotFound();
            var body = command.Body;
            var errors = new FieldErrors();

            var name = Text(body, "name", errors, required: !command.Partial, allowBlank: false, BlueprintInstance.MaxNameLength);
            if (name is not null && await db.BlueprintInstances.AnyAsync(i => i.Name == name && i.Id != (instance == null ? Guid.Empty : instance.Id), ct))
                errors.Add("name", "blueprint instance with this name already exists.");
            var path = Text(body, "path", errors, required: false, allowBlank: true, BlueprintInstance.MaxPathLength);
            if (path is { Length: > 0 } && !files.List().Contains(path)) errors.Add("path", "Blueprint file does not exist");
            var content = Text(body, "content", errors, required: false, allowBlank: true, Infrastructure.Blueprints.BlueprintReader.MaxBytes);
            JsonObject? context = null;
            if (body.TryGetPropertyValue("context", out var contextNode))
            {
                if (contextNode is JsonObject o) context = (JsonObject)o.DeepClone();
                else errors.Add("context", "Expected a dictionary of items but got type \"" + Kind(contextNode) + "\".");
            }
            bool? enabled = null;
            if (body.TryGetPropertyValue("enabled", out var enabledNode))
            {
                if (enabledNode?.GetValueKind() is JsonValueKind.True or JsonValueKind.False) enabled = enabledNode.GetValue<bool>();
                else errors.Add("enabled", "Must be a valid boolean.");
            }
            if (!errors.Any && content is { Length: > 0 })
            {
                var dryRun = await importer.ImportAsync(content, (context ?? instance?.Context ?? []).ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone()), dryRun: true, ct);
                if (!dryRun.Success)
                {
                    errors.Add("content", "Failed to validate blueprint");
                    foreach (var e in dryRun.Errors) errors.Add("content", e.ToString());
                }
                db.ChangeTracker.Clear();
                if (instance is not null) instance = await db.BlueprintInstances.SingleAsync(i => i.Id == instance.Id, ct);
            }
            if (errors.Any) return ApiResult<BlueprintInstanceJson>.Invalid(errors);

            var creating = instance is null;
            instance ??= db.BlueprintInstances.Add(new BlueprintInstance { Name = name! }).Entity;
            if (name is not null) instance.Name = name;
            if (path is not null) instance.Path = path;
            if (content is not null) instance.Content = content;
            if (context is not null) instance.Context = context;
            if (enabled is not null) instance.Enabled = enabled.Value;
            await db.SaveChangesAsync(ct);
            var json = await db.BlueprintInstances.AsNoTracking().Where(i => i.Id == instance.Id).Select(BlueprintInstanceJson.Projection).SingleAsync(ct);
            return creating ? ApiResult<BlueprintInstanceJson>.Created(json) : ApiResult<BlueprintInstanceJson>.Ok(json);
        }

        private static string? Text(JsonObject body, string field, FieldErrors errors, bool required, bool allowBlank, int max)
        {
            if (!body.TryGetPropertyValue(field, out var node))
            {
                if (required) errors.Add(field, "This field is required.");
                return null;
            }
            if (node is null) { errors.Add(field, "This field may not be null."); return null; }
            if (node.GetValueKind() != JsonValueKind.String) { errors.Add(field, "Not a valid string."); return null; }
            var text = node.GetValue<string>();
            if (!allowBlank && text.Trim().Length == 0) { errors.Add(field, "This field may not be blank."); return null; }
            if (text.Length > max) { errors.Add(field, $"Ensure this field has no more than {max} characters."); return null; }
            if (text.Contains('\0')) { errors.Add(field, "Null characters are not allowed."); return null; }
            return field == "name" ? text.Trim() : text;
        }

        private static string Kind(JsonNode? node) => node switch
        {
            null => "NoneType",
            JsonArray => "list",
            _ => node.GetValueKind() switch { JsonValueKind.String => "str", JsonValueKind.Number => "int", _ => "bool" },
        };
    }
}
