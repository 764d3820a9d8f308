using Enrollment.Features.Api.Shared;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

public sealed class PromptStageKind : StageKind<PromptStage, PromptStageForm>
{
    public const string WireName = "prompt";
    public const string PolicyModel = "authentik_policies_expression.expressionpolicy";
    /// <summary>Validation policies may be of any kind (expression, password): an export finds each in its own model.</summary>
    public const string AnyPolicyModel = "authentik_policies.policy";

    public override string Name => WireName;
    public override string Label => "Prompt stage";
    public override string Description => "Asks the invitee for the values of its prompts.";
    public override string AppLabel => "authentik_stages_prompt";
    public override int Order => 20;
    public override Type ExecutorType => typeof(PromptStageExecutor);
    public override string FieldsPartial => "/Features/Stages/Prompt/_PromptFields.cshtml";
    public override IReadOnlyList<string> Details => [nameof(PromptStage.Fields), nameof(PromptStage.ValidationPolicies)];

    protected override PromptStage Create() => new() { Name = "" };

    /// <summary>The invitee sees the prompts by their order, then name.</summary>
    protected override void Arrange(PromptStage stage) =>
        stage.Fields = [.. stage.Fields.OrderBy(p => p.Order).ThenBy(p => p.Name, StringComparer.Ordinal)];

    protected override void Read(PromptStage stage, PromptStageForm form)
    {
        form.Fields = stage.Fields.Select(p => p.Id).ToList();
        form.ValidationPolicies = stage.ValidationPolicies.Select(p => p.Id).ToList();
    }

    protected override async Task LoadChoicesAsync(AppDbContext db, PromptStageForm form, CancellationToken ct)
    {
        form.PromptChoices = await db.Prompts.AsNoTracking().OrderBy(p => p.Order).ThenBy(p => p.Name)
            .Select(p => new PromptStageForm.PromptChoice(p.Id, p.Name, p.FieldKey, p.Type)).ToListAsync(ct);
        form.PolicyChoices = (await db.Policies.AsNoTracking().OrderBy(p => p.Name).Select(p => new { p.Id, p.Name }).ToListAsync(ct))
            .Select(p => (p.Id, p.Name)).ToList();
    }

    protected override async Task<IReadOnlyList<FieldError>> WriteAsync(AppDbContext db, PromptStageForm form, PromptStage stage, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var promptIds = form.Fields.Distinct().ToList();
        var prompts = await db.Prompts.Where(p => promptIds.Contains(p.Id)).ToListAsync(ct);
        if (prompts.Count != promptIds.Count)
            errors.Add(new(nameof(PromptStageForm.Fields), "A chosen prompt does not exist (any more). Choose again from the list."));
        var policyIds = form.ValidationPolicies.Distinct().ToList();
        var policies = await db.Policies.Where(p => policyIds.Contains(p.Id)).ToListAsync(ct);
        if (policies.Count != policyIds.Count)
            errors.Add(new(nameof(PromptStageForm.ValidationPolicies), "A chosen policy does not exist (any more). Choose again from the list."));
        // List<T> does not notify EF; DetectChanges diffs against the loaded collections.
        stage.Fields.Clear();
        stage.Fields.AddRange(prompts);
        stage.ValidationPolicies.Clear();
        stage.ValidationPolicies.AddRange(policies);
        return errors;
    }

    public override string ApiPath => "/stages/prompt/stages/";

    private static readonly FilterSet<PromptStage> Filters = new FilterSet<PromptStage>()
        .Custom("fields", (items, value, errors) =>
        {
            if (Guid.TryParse(value, out var id)) return items.Where(x => x.Fields.Any(f => f.Id == id));
            errors.Add("fields", "Enter a valid UUID.");
            return items;
        })
        .Custom("validation_policies", (items, value, errors) =>
        {
            if (Guid.TryParse(value, out var id)) return items.Where(x => x.ValidationPolicies.Any(p => p.Id == id));
            errors.Add("validation_policies", "Enter a valid UUID.");
            return items;
        });

    protected override FilterSet<PromptStage>? ApiFilters => Filters;

    public override IReadOnlyList<string> ApiFields => ["fields", "validation_policies"];

    public override void WriteApi(Stage stage, JsonObject json)
    {
        var x = (PromptStage)stage;
        json["fields"] = new JsonArray(x.Fields.OrderBy(f => f.Order).Select(f => (JsonNode)f.Id.ToString()).ToArray());
        json["validation_policies"] = new JsonArray(x.ValidationPolicies.Select(p => (JsonNode)p.Id.ToString()).ToArray());
    }

    private IBlueprintModel? blueprint;

    public override IBlueprintModel Blueprint => blueprint ??= StageBlueprint.Model<PromptStage>(this,
    [
        Fields<PromptStage>.Many<Domain.Prompt>("fields", PromptBlueprint.Name, nameof(PromptStage.Fields), x => x.Fields,
            pk: p => p.Id, order: ps => ps.OrderBy(p => p.Order).ThenBy(p => p.Name, StringComparer.Ordinal)),
        Fields<PromptStage>.Many<Policy>("validation_policies", PolicyModel, nameof(PromptStage.ValidationPolicies), x => x.ValidationPolicies,
            pk: p => p.Id, order: ps => ps.OrderBy(p => p.Name, StringComparer.Ordinal), referencedAs: AnyPolicyModel),
    ]);

    public override IReadOnlyList<IBlueprintModel> OtherBlueprints { get; } = [PromptBlueprint.Model()];

    /// <summary>Which prompt stages show which of the prompts (for the prompts list and the delete page).</summary>
    public static IQueryable<StageUse> Showing(AppDbContext db, IReadOnlyCollection<Guid> promptIds) =>
        db.Stages.OfType<PromptStage>().SelectMany(s => s.Fields.Where(p => promptIds.Contains(p.Id)), (s, p) => new StageUse { UsedId = p.Id, StageId = s.Id, StageName = s.Name });

    /// <summary>Which prompt stages validate with which of the policies (for a policy's usage).</summary>
    public static IQueryable<StageUse> ValidatingWith(AppDbContext db, IReadOnlyCollection<Guid> policyIds) =>
        db.Stages.OfType<PromptStage>().SelectMany(s => s.ValidationPolicies.Where(p => policyIds.Contains(p.Id)), (s, p) => new StageUse { UsedId = p.Id, StageId = s.Id, StageName = s.Name });

    /// <summary>A prompt stage that uses a prompt or a policy (init-only, so queries can go on after the projection).</summary>
    public sealed class StageUse
    {
        public Guid UsedId { get; init; }
        public Guid StageId { get; init; }
        public required string StageName { get; init; }
    }
}
