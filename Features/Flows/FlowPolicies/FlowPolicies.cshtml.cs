using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.FlowPolicies;

/// <summary>Policy bindings of a flow, or (with a binding id) of one of its stage bindings.</summary>
public sealed class FlowPolicies(ISender sender) : PageModel
{
    [FromRoute] public string Slug { get; set; } = "";
    [FromRoute] public Guid? BindingId { get; set; }
    [BindProperty] public BindPolicy.Command Input { get; set; } = new();
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync() => await Show();

    public async Task<IActionResult> OnPostAsync()
    {
        if (ModelState.IsValid)
        {
            Input.Slug = Slug;
            Input.BindingId = BindingId;
            var result = await sender.Send(Input);
            if (result is null) return NotFound();
            if (result.Succeeded)
            {
                TempData["Flash"] = "Binding created.";
                return Redirect(Request.Path);
            }
            ModelState.AddErrors(result.Errors);
        }
        return await Show();
    }

    private async Task<IActionResult> Show()
    {
        var data = await sender.Send(new Query(Slug, BindingId));
        if (data is null) return NotFound();
        Data = data;
        return Page();
    }

    public sealed record Query(string Slug, Guid? BindingId) : IQuery<Result?>;

    public sealed record Row(Guid Id, int Order, string Subject, bool Enabled, bool Negate, int Timeout, bool FailureResult);

    public sealed record Result(string FlowName, string? StageName, PolicyEngineMode Mode, IReadOnlyList<Row> Bindings,
        IReadOnlyList<SelectListItem> Policies, IReadOnlyList<SelectListItem> Groups);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result?>
    {
        public async ValueTask<Result?> Handle(Query query, CancellationToken ct)
        {
            var flow = await db.Flows.AsNoTracking().Where(f => f.Slug == query.Slug).Select(f => new { f.Id, f.Name, f.PolicyEngineMode }).SingleOrDefaultAsync(ct);
            if (flow is null) return null;
            string? stageName = null;
            var mode = flow.PolicyEngineMode;
            if (query.BindingId is { } bindingId)
            {
                var b = await db.FlowStageBindings.AsNoTracking().Where(x => x.Id == bindingId && x.FlowId == flow.Id)
                    .Select(x => new { x.Stage.Name, x.PolicyEngineMode }).SingleOrDefaultAsync(ct);
                if (b is null) return null;
                (stageName, mode) = (b.Name, b.PolicyEngineMode);
            }
            var bindings = db.PolicyBindings.AsNoTracking()
                .Where(p => query.BindingId == null ? p.FlowId == flow.Id : p.FlowStageBindingId == query.BindingId);
            var rows = await bindings.OrderBy(p => p.Order)
                .Select(p => new Row(p.Id, p.Order,
                    p.Policy != null ? "Policy " + p.Policy.Name : p.Group != null ? "Group " + p.Group.Name : "User " + p.User!.UserName,
                    p.Enabled, p.Negate, p.Timeout, p.FailureResult))
                .ToListAsync(ct);
            var policies = await db.Policies.AsNoTracking().OrderBy(p => p.Name).Select(p => new SelectListItem(p.Name, p.Id.ToString())).ToListAsync(ct);
            var groups = await db.Groups.AsNoTracking().OrderBy(g => g.Name).Select(g => new SelectListItem(g.Name, g.Id.ToString())).ToListAsync(ct);
            return new Result(flow.Name, stageName, mode, rows, policies, groups);
        }
    }
}
