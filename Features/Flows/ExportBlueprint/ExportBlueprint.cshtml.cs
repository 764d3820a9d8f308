using Enrollment.Domain;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Blueprints.Models;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.ExportBlueprint;

/// <summary>
/// Downloads a flow as an authentik blueprint (YAML, version 1): the flow, its stage bindings, their stages, what
/// the stages refer to (a prompt stage's prompts and policies, a group), the policy bindings of the flow and of its
/// stage bindings, and their policies and groups. Every entry is written by its model's blueprint fields, the same
/// list the import reads. Objects are identified as authentik does (flow by slug, the others by name), entries
/// refer to each other with <c>!KeyOf</c>; order and formatting are deterministic, so exporting the same flow
/// twice, or after a round trip through an import, gives the same bytes.
/// </summary>
public sealed class ExportBlueprint(ISender sender) : PageModel
{
    [FromRoute] public string Slug { get; set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var yaml = await sender.Send(new Query(Slug));
        if (yaml is null) return NotFound();
        return File(System.Text.Encoding.UTF8.GetBytes(yaml), "application/yaml; charset=utf-8", $"flow-{Slug}.yaml");
    }

    public sealed record Query(string Slug) : IQuery<string?>;

    internal sealed class Handler(AppDbContext db, ModelRegistry models, StageKinds kinds) : IQueryHandler<Query, string?>
    {
        public async ValueTask<string?> Handle(Query query, CancellationToken ct)
        {
            var flow = await db.Flows.AsNoTracking().AsSplitQuery()
                .Include(f => f.Bindings).ThenInclude(b => b.Stage)
                .Include(f => f.Bindings).ThenInclude(b => b.PolicyBindings)
                .Include(f => f.PolicyBindings)
                .SingleOrDefaultAsync(f => f.Slug == query.Slug, ct);
            if (flow is null) return null;

            var stageIds = flow.Bindings.Select(b => b.StageId).Distinct().ToList();
            var stages = await kinds.Details.Aggregate(db.Stages.AsNoTracking().AsSplitQuery().Where(s => stageIds.Contains(s.Id)), (q, d) => q.Include(d))
                .ToListAsync(ct);
            stages = [.. stages.OrderBy(s => s.Name, StringComparer.Ordinal)];
            var bindings = flow.Bindings.OrderBy(b => b.Order).ThenBy(b => b.Stage.Name, StringComparer.Ordinal).ToList();
            var policyBindings = flow.PolicyBindings.OrderBy(p => p.Order)
                .Concat(bindings.SelectMany(b => b.PolicyBindings.OrderBy(p => p.Order))).ToList();

            var ctx = new ExportContext();
            ctx.AddEntry(flow.Id, "flow");
            var stageModels = stages.ToDictionary(s => s.Id, s => models.Get(kinds.Of(s).Model));
            foreach (var s in stages) ctx.AddEntry(s.Id, stageModels[s.Id].EntryId(s)!);
            var bindingModel = models.For(typeof(FlowStageBinding));
            foreach (var b in bindings) ctx.AddEntry(b.Id, bindingModel.EntryId(b)!);
            var policyBindingModel = models.For(typeof(PolicyBinding));

            // What the stages and policy bindings refer to: prompts, policies, groups. Written before what refers to them.
            var referenced = new List<(IBlueprintModel Model, object Entity)>();
            var references = stages.SelectMany(s => stageModels[s.Id].References(s))
                .Concat(policyBindings.SelectMany(policyBindingModel.References))
                .Distinct().GroupBy(r => r.Model, r => r.Pk);
            foreach (var group in references.OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                // A reference to "any policy" finds each policy in its kind's model: those are ordered by model, then as usual.
                var found = (await models.LoadReferencedAsync(db, group.Key, group.ToList(), ct))
                    .OrderBy(x => x.Model.Name, StringComparer.Ordinal).ThenBy(x => x.Model.SortKey(x.Entity), StringComparer.Ordinal);
                foreach (var (model, entity) in found)
                {
                    referenced.Add((model, entity));
                    if (model.EntryId(entity) is { } id) ctx.AddEntry((Guid)model.Pk(entity), id);
                }
            }
            var userIds = policyBindings.Where(p => p.UserId is not null).Select(p => p.UserId!.Value).Distinct().ToList();
            foreach (var u in await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).Select(u => new { u.Id, u.UserName }).ToListAsync(ct))
                ctx.AddUser(u.Id, u.UserName ?? "");

            var w = new BlueprintWriter();
            w.Map();
            w.Key("version").Number(1);
            w.Key("metadata").Map()
                .Key("name").Text($"Flow {flow.Name} ({flow.Slug})")
                .Key("labels").Map().Key("blueprints.goauthentik.io/generated").Text("true").EndMap()
                .EndMap();
            w.Key("entries").List();
            models.For(typeof(Flow)).Export(w, flow, ctx);
            foreach (var (model, entity) in referenced) model.Export(w, entity, ctx);
            foreach (var s in stages) stageModels[s.Id].Export(w, s, ctx);
            foreach (var b in bindings) bindingModel.Export(w, b, ctx);
            foreach (var p in policyBindings) policyBindingModel.Export(w, p, ctx);
            w.EndList();
            w.EndMap();
            return w.Finish();
        }
    }
}
