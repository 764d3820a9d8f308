using Enrollment.Domain;
using Enrollment.Features.Flows.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.EditFlow;

public sealed class EditFlow(ISender sender) : PageModel
{
    [FromRoute] public string Slug { get; set; } = "";
    [BindProperty] public Command Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        var form = await sender.Send(new Query(Slug));
        if (form is null) return NotFound();
        Input = form;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        Input.CurrentSlug = Slug;
        var result = await sender.Send(Input);
        if (result is null) return NotFound();
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result.Errors);
            return Page();
        }
        TempData["Flash"] = "Flow saved.";
        return Redirect($"/if/admin/flows/{Uri.EscapeDataString(result.Value!)}/");
    }

    public sealed record Query(string Slug) : IQuery<Command?>;

    public sealed class Command : FlowForm, ICommand<FormResult<string>?>
    {
        internal string CurrentSlug { get; set; } = "";
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit)
        : IQueryHandler<Query, Command?>, ICommandHandler<Command, FormResult<string>?>
    {
        public async ValueTask<Command?> Handle(Query query, CancellationToken ct)
        {
            var flow = await db.Flows.AsNoTracking().SingleOrDefaultAsync(f => f.Slug == query.Slug, ct);
            return flow is null ? null : FlowForm.From<Command>(flow);
        }

        public async ValueTask<FormResult<string>?> Handle(Command command, CancellationToken ct)
        {
            var flow = await db.Flows.SingleOrDefaultAsync(f => f.Slug == command.CurrentSlug, ct);
            if (flow is null) return null;
            var slug = command.Slug.Trim();
            if (slug != flow.Slug && await db.Flows.AnyAsync(f => f.Slug == slug, ct))
                return FormResult<string>.Fail(nameof(FlowForm.Slug), "A flow with this slug already exists.");
            command.ApplyTo(flow);
            audit.Record("model_updated", AuditTrail.Model("authentik_flows", flow.Name, flow.Id, "flow"));
            await db.SaveChangesAsync(ct);
            return FormResult<string>.Ok(flow.Slug);
        }
    }
}
