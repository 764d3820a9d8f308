using Enrollment.Domain;
using Enrollment.Features.Flows.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.CreateFlow;

public sealed class CreateFlow(ISender sender) : PageModel
{
    [BindProperty] public Command Input { get; set; } = new();

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var result = await sender.Send(Input);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result.Errors);
            return Page();
        }
        TempData["Flash"] = $"Flow “{Input.Name}” created. Bind its stages below.";
        return Redirect($"/if/admin/flows/{Uri.EscapeDataString(result.Value!)}/bindings/");
    }

    public sealed class Command : FlowForm, ICommand<FormResult<string>>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : ICommandHandler<Command, FormResult<string>>
    {
        public async ValueTask<FormResult<string>> Handle(Command command, CancellationToken ct)
        {
            var slug = command.Slug.Trim();
            if (await db.Flows.AnyAsync(f => f.Slug == slug, ct))
                return FormResult<string>.Fail(nameof(FlowForm.Slug), "A flow with this slug already exists.");
            var flow = new Flow { Name = "", Slug = "" };
            command.ApplyTo(flow);
            db.Flows.Add(flow);
            audit.Record("model_created", AuditTrail.Model("authentik_flows", flow.Name, flow.Id, "flow"));
            await db.SaveChangesAsync(ct);
            return FormResult<string>.Ok(flow.Slug);
        }
    }
}
