using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Api.Stages;
using Enrollment.Features.Stages.Prompt;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using DeletePrompt = Enrollment.Features.Prompts.DeletePrompt.DeletePrompt;

namespace Enrollment.Features.Api.Prompts;

/// <summary>
/// <c>/api/v3/stages/prompt/prompts/</c>: authentik's <c>Prompt</c>, with <c>prompt_stages_obj</c> (the prompt
/// stages showing it) and our <c>max_length</c> (an addition; authentik's clients ignore it).
/// </summary>
public sealed class PromptsResource(StageKinds kinds) : ApiResource<Prompt>
{
    public override string Path => "/stages/prompt/prompts/";

    protected override string? Model => PromptBlueprint.Name;

    protected override IReadOnlyList<string> Writable =>
        ["name", "field_key", "label", "type", "required", "placeholder", "initial_value", "order", "sub_text",
         "placeholder_expression", "initial_value_expression", "max_length"];

    protected override IQueryable<Prompt> Source(AppDbContext db) => db.Prompts;

    protected override Expression<Func<Prompt, bool>> ByKey(string key) => Guid.TryParse(key, out var id) ? p => p.Id == id : p => false;

    protected override Ordering<Prompt> Ordering { get; } = new Ordering<Prompt>("field_key")
        .Field("field_key", p => p.FieldKey).Field("name", p => p.Name).Field("label", p => p.Label).Field("order", p => p.Order);

    protected override Expression<Func<Prompt, object>> Tiebreak => p => p.Id;

    private static readonly FilterSet<Prompt> Filters = new FilterSet<Prompt>()
        .Text("name", p => p.Name).Text("field_key", p => p.FieldKey).Text("label", p => p.Label).Text("placeholder", p => p.Placeholder)
        .Choice("type", p => p.Type).Search(p => p.Name, p => p.FieldKey, p => p.Label);

    protected override IQueryable<Prompt> Filter(IQueryable<Prompt> items, ApiScope scope, FieldErrors errors) => Filters.Apply(items, scope.Query, errors);

    protected override async Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<Prompt> items)
    {
        var ids = items.Select(p => p.Id).ToList();
        var stageIds = await PromptStageKind.Showing(scope.Db, ids).Select(s => s.StageId).Distinct().ToListAsync(scope.Ct);
        var kind = kinds.Find(PromptStageKind.WireName)!;
        var stages = await kind.Details.Aggregate(scope.Db.Stages.OfType<PromptStage>().AsNoTracking(), (q, d) => q.Include(d))
            .Include(s => s.Bindings).ThenInclude(b => b.Flow).AsSplitQuery()
            .Where(s => stageIds.Contains(s.Id)).OrderBy(s => s.Name).ToListAsync(scope.Ct);
        foreach (var s in stages) kind.Arrange(s);
        return items.Select(p => (object)new JsonObject
        {
            ["pk"] = p.Id.ToString(),
            ["name"] = p.Name,
            ["field_key"] = p.FieldKey,
            ["label"] = p.Label,
            ["type"] = Wire.Name(p.Type),
            ["required"] = p.Required,
            ["placeholder"] = p.Placeholder,
            ["initial_value"] = p.InitialValue,
            ["order"] = p.Order,
            ["prompt_stages_obj"] = new JsonArray(stages.Where(s => s.Fields.Any(f => f.Id == p.Id))
                .Select(s => (JsonNode)StageJson.Of(kind, s, withKindFields: true)).ToArray()),
            ["sub_text"] = p.SubText,
            ["placeholder_expression"] = p.PlaceholderExpression,
            ["initial_value_expression"] = p.InitialValueExpression,
            ["max_length"] = p.MaxLength,
        }).ToList();
    }

    protected override async Task CheckAsync(ApiScope scope, Prompt entity, bool creating, FieldErrors errors)
    {
        if (await scope.Db.Prompts.AnyAsync(p => p.Name == entity.Name && p.Id != entity.Id, scope.Ct))
            errors.Add("name", "prompt with this name already exists.");
    }

    /// <summary>Through the admin's delete command, which takes related rows with it.</summary>
    public override async Task<IResult> DeleteAsync(ApiScope scope, string key) => Deleted(await scope.Services.GetRequiredService<ISender>().Send(new DeletePrompt.Command(Guid.Parse(key)), scope.Ct));

    protected override (string App, string ModelName) EventModel => ("authentik_stages_prompt", "prompt");

    protected override string Describe(Prompt entity) => entity.Name;

    protected override object PkOf(Prompt entity) => entity.Id;
}
