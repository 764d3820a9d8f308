using System.Linq.Expressions;
using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using DeleteFlow = Enrollment.Features.Flows.DeleteFlow.DeleteFlow;
using ExportBlueprint = Enrollment.Features.Flows.ExportBlueprint.ExportBlueprint;

namespace Enrollment.Features.Api.FlowInstances;

/// <summary>
/// <c>/api/v3/flows/instances/</c> by slug, with <c>export/</c> (the flow's blueprint, as the admin's export) and
/// <c>diagram/</c> (a Mermaid flowchart, as authentik's). A delete goes through the admin's delete command: the
/// flow's policy bindings go with it, its invitations stay, unbound.
/// </summary>
public sealed partial class FlowsResource : ApiResource<Flow>
{
    public override string Path => "/flows/instances/";

    protected override string KeyRoute => "{key}";

    protected override string? Model => "authentik_flows.flow";

    protected override IReadOnlyList<string> Writable =>
        ["name", "slug", "title", "designation", "policy_engine_mode", "layout", "denied_action", "authentication"];

    protected override IQueryable<Flow> Source(AppDbContext db) => db.Flows.Include(f => f.Bindings).Include(f => f.PolicyBindings).AsSplitQuery();

    protected override Expression<Func<Flow, bool>> ByKey(string key) => f => f.Slug == key;

    protected override string KeyOf(Flow entity) => entity.Slug;

    protected override Ordering<Flow> Ordering { get; } = new Ordering<Flow>("slug")
        .Field("slug", f => f.Slug).Field("name", f => f.Name).Field("title", f => f.Title).Field("designation", f => f.Designation);

    protected override Expression<Func<Flow, object>> Tiebreak => f => f.Id;

    private static readonly FilterSet<Flow> Filters = new FilterSet<Flow>()
        .Text("slug", f => f.Slug).Text("name", f => f.Name).Uuid("flow_uuid", f => f.Id)
        .Choice("designation", f => f.Designation).Choice("denied_action", f => f.DeniedAction)
        .Search(f => f.Name, f => f.Slug, f => f.Title);

    protected override IQueryable<Flow> Filter(IQueryable<Flow> items, ApiScope scope, FieldErrors errors) => Filters.Apply(items, scope.Query, errors);

    protected override Task<IReadOnlyList<object>> ToJsonAsync(ApiScope scope, IReadOnlyList<Flow> items) =>
        Task.FromResult<IReadOnlyList<object>>(items.Select(f => (object)FlowInstanceJson.Of(f, "")).ToList());

    protected override async Task CheckAsync(ApiScope scope, Flow entity, bool creating, FieldErrors errors)
    {
        if (await scope.Db.Flows.AnyAsync(f => f.Slug == entity.Slug && f.Id != entity.Id, scope.Ct))
            errors.Add("slug", "flow with this slug already exists.");
    }

    protected override (string App, string ModelName) EventModel => ("authentik_flows", "flow");

    protected override string Describe(Flow entity) => entity.Name;

    protected override object PkOf(Flow entity) => entity.Id;

    public override void Map(RouteGroupBuilder api)
    {
        base.Map(api);
        api.MapGet(Path + "{key}/export/", async (string key, ISender sender, CancellationToken ct) =>
            await sender.Send(new ExportBlueprint.Query(key), ct) is { } yaml
                ? Results.File(System.Text.Encoding.UTF8.GetBytes(yaml), "application/yaml", $"flows-{key}.yaml")
                : ApiResult<object>.NotFound().ToHttp()).WithName(OperationId("export_retrieve"));
        api.MapGet(Path + "{key}/diagram/", DiagramAsync).WithName(OperationId("diagram_retrieve"));
    }

    public override async Task<IResult> DeleteAsync(ApiScope scope, string key) =>
        Deleted(await scope.Services.GetRequiredService<ISender>().Send(new DeleteFlow.Command(key), scope.Ct));

    /// <summary>A Mermaid flowchart: start, each bound stage in order (with its kind), end — what authentik's diagram shows.</summary>
    private static async Task<IResult> DiagramAsync(string key, AppDbContext db, CancellationToken ct)
    {
        var flow = await db.Flows.AsNoTracking().Where(f => f.Slug == key)
            .Select(f => new { f.Name, Stages = f.Bindings.OrderBy(b => b.Order).Select(b => new { b.Order, b.Stage.Name, Kind = EF.Property<string>(b.Stage, "kind"), Policies = b.PolicyBindings.Count }).ToList() })
            .SingleOrDefaultAsync(ct);
        if (flow is null) return ApiResult<object>.NotFound().ToHttp();
        var lines = new List<string> { "graph TD", $"flow_start[\"Flow execution start: {Label(flow.Name)}\"]" };
        var previous = "flow_start";
        var i = 0;
        foreach (var stage in flow.Stages)
        {
            var id = $"stage_{i++}";
            lines.Add($"{id}[\"Stage ({stage.Order}): {Label(stage.Name)} ({Label(stage.Kind)})\"]");
            lines.Add(stage.Policies > 0 ? $"{previous} -->|Policy passed| {id}" : $"{previous} --> {id}");
            previous = id;
        }
        lines.Add("done[\"End of the flow\"]");
        lines.Add($"{previous} --> done");
        return Results.Json(new { diagram = string.Join("\n", lines) }, ApiJson.Options);
    }

    /// <summary>Text inside a quoted Mermaid label: quotes and markup characters as entities.</summary>
    private static string Label(string text) => LabelUnsafe().Replace(text, m => $"#{(int)m.Value[0]};");

    [GeneratedRegex("[\"<>&#;\\[\\]{}|\\n\\r]")]
    private static partial Regex LabelUnsafe();
}
