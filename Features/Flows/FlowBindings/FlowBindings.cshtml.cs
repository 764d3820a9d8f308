using Enrollment.Domain;
using Enrollment.Features.Flows.Shared;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.FlowBindings;

public sealed class FlowBindings(ISender sender) : PageModel
{
    [FromRoute] public string Slug { get; set; } = "";
    [BindProperty] public BindStage.Command Input { get; set; } = new();
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        var data = await sender.Send(new Query(Slug));
        if (data is null) return NotFound();
        Data = data;
        Input.Order = data.NextOrder;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (ModelState.IsValid)
        {
            Input.FlowSlug = Slug;
            var result = await sender.Send(Input);
            if (result is null) return NotFound();
            if (result.Succeeded)
            {
                TempData["Flash"] = "Stage bound.";
                return Redirect($"/if/admin/flows/{Uri.EscapeDataString(Slug)}/bindings/");
            }
            ModelState.AddErrors(result.Errors);
        }
        var data = await sender.Send(new Query(Slug));
        if (data is null) return NotFound();
        Data = data;
        return Page();
    }

    public sealed record Query(string Slug) : IQuery<Result?>;

    public sealed record Row(Guid Id, int Order, Guid StageId, string StageName, string Kind, bool EvaluateOnPlan,
        bool ReEvaluatePolicies, InvalidResponseAction InvalidResponseAction, int Policies);

    /// <param name="Kinds">The kinds a new stage can be of (wire name, label).</param>
    public sealed record Result(string FlowName, IReadOnlyList<Row> Bindings, IReadOnlyList<SelectListItem> Stages, IReadOnlyList<SelectListItem> Kinds, int NextOrder);

    internal sealed class Handler(AppDbContext db, StageKinds kinds) : IQueryHandler<Query, Result?>
    {
        public async ValueTask<Result?> Handle(Query query, CancellationToken ct)
        {
            var flow = await db.Flows.AsNoTracking().Where(f => f.Slug == query.Slug).Select(f => new { f.Id, f.Name }).SingleOrDefaultAsync(ct);
            if (flow is null) return null;
            var rows = (await db.FlowStageBindings.AsNoTracking().Where(b => b.FlowId == flow.Id)
                    .OrderBy(b => b.Order)
                    .Select(b => new { b.Id, b.Order, b.StageId, b.Stage.Name, Kind = EF.Property<string>(b.Stage, "kind"), b.EvaluateOnPlan, b.ReEvaluatePolicies, b.InvalidResponseAction, Policies = b.PolicyBindings.Count })
                    .ToListAsync(ct))
                .Select(b => new Row(b.Id, b.Order, b.StageId, b.Name, b.Kind, b.EvaluateOnPlan, b.ReEvaluatePolicies, b.InvalidResponseAction, b.Policies))
                .ToList();
            var stages = (await db.Stages.AsNoTracking().OrderBy(s => s.Name).Select(s => new { s.Id, s.Name, Kind = EF.Property<string>(s, "kind") }).ToListAsync(ct))
                .Select(s => new SelectListItem($"{s.Name} ({Choices.Label(s.Kind)})", s.Id.ToString())).ToList();
            var newKinds = kinds.All.Select(k => new SelectListItem(k.Label, k.Name)).ToList();
            var next = rows.Count == 0 ? 10 : (rows.Max(r => r.Order) / 10 + 1) * 10;
            return new Result(flow.Name, rows, stages, newKinds, next);
        }
    }
}
