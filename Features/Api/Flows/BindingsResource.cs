using System.Linq.Expressions;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Api.Stages;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using DeleteBinding = Enrollment.Features.Flows.DeleteBinding.DeleteBinding;

namespace Enrollment.Features.Api.Flows;

/// <summary><c>/api/v3/flows/bindings/</c>: authentik's <c>FlowStageBinding</c>; <c>target</c> is the flow's pk.</summary>
public sealed class BindingsResource(StageKinds kinds) : ApiResource<FlowStageBinding>
{
    public override string Path => "/flows/bindings/";

    protected override string? Model => "authentik_flows.flowstagebinding";

    protected override IReadOnlyList<string> Writable =>
        ["target", "stage", "evaluate_on_plan", "re_evaluate_policies", "order", "policy_engine_mode", "invalid_response_action"];

    protected override IQueryable<FlowStageBinding> Source(AppDbContext db) =>
        db.Set<FlowStageBinding>().Include(b => b.Flow).Include(b => b.Stage).ThenInclude(s => s.Bindings).ThenInclude(b => b.Flow).AsSplitQuery();

    protected override Expression<Func<FlowStageBinding, bool>> ByKey(string key) =>
        Guid.TryParse(key, out var id) ? b => b.Id == id : b => false;

    protected override Ordering<FlowStageBinding> Ordering { get; } = new Ordering<FlowStageBinding>("order")
        .Field("order", b => b.Order).Field("target", b => b.Flow.Slug).Field("pk", b => b.Id);

    protected override Expression<Func<FlowStageBinding, object>> Tiebreak => b => b.Id;

    private static readonly FilterSet<FlowStageBinding> Filters = new FilterSet<FlowStageBinding>()
        .Uuid("target", b => b.FlowId).Uuid("stage", b => b.StageId).Number("order", b => b.Order)
        .Uuid("fsb_uuid", b => b.Id).Uuid("pbm_uuid", b => b.Id)
        .Flag("evaluate_on_plan", b => b.EvaluateOnPlan).Flag("re_evaluate_policies", b => b.ReEvaluatePolicies)
        .Choice("policy_engine_mode", b => b.PolicyEngineMode).Choice("invalid_response_action", b => b.InvalidResponseAction)
        .Custom("policies", (items, value, errors) =>
        {
            if (Guid.TryParse(value, out var policy)) return items.Where(b => b.PolicyBindings.Any(p => p.PolicyId == policy));
            errors.Add("policies", "Enter a valid UUID.");
            return items;
        })
        .Search(b => b.Flow.Slug, b => b.Stage.Name);

    protected override IQueryable<FlowStageBinding> Filter(IQueryable<FlowStageBinding> items, ApiScope scope, FieldErrors errors) =>
        Filters.Apply(items, scope.Query, errors);

    protected override Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<FlowStageBinding> items) =>
        Task.FromResult<IReadOnlyList<object>>(items.Select(b => (object)new JsonObject
        {
            ["pk"] = b.Id.ToString(),
            ["policybindingmodel_ptr_id"] = b.Id.ToString(),
            ["target"] = b.FlowId.ToString(),
            ["stage"] = b.StageId.ToString(),
            ["stage_obj"] = StageJson.Of(kinds.Of(b.Stage), b.Stage, withKindFields: false),
            ["evaluate_on_plan"] = b.EvaluateOnPlan,
            ["re_evaluate_policies"] = b.ReEvaluatePolicies,
            ["order"] = b.Order,
            ["policy_engine_mode"] = Wire.Name(b.PolicyEngineMode),
            ["invalid_response_action"] = Wire.Name(b.InvalidResponseAction),
        }).ToList());

    protected override async Task CheckAsync(ApiScope scope, FlowStageBinding entity, bool creating, FieldErrors errors)
    {
        if (await scope.Db.Set<FlowStageBinding>().AnyAsync(b => b.FlowId == entity.FlowId && b.StageId == entity.StageId && b.Order == entity.Order && b.Id != entity.Id, scope.Ct))
            errors.Add("non_field_errors", "The fields target, stage, order must make a unique set.");
    }

    /// <summary>Through the admin's command: the binding's policy bindings go with it.</summary>
    public override async Task<IResult> DeleteAsync(ApiScope scope, string key)
    {
        var id = Guid.Parse(key);
        var slug = await scope.Db.Set<FlowStageBinding>().Where(b => b.Id == id).Select(b => b.Flow.Slug).SingleOrDefaultAsync(scope.Ct);
        return Deleted(slug is not null && await scope.Services.GetRequiredService<ISender>().Send(new DeleteBinding.Command(slug, id), scope.Ct));
    }

    protected override (string App, string ModelName) EventModel => ("authentik_flows", "flowstagebinding");

    protected override string Describe(FlowStageBinding entity) => $"Flow-stage binding #{entity.Order}";

    protected override object PkOf(FlowStageBinding entity) => entity.Id;
}
