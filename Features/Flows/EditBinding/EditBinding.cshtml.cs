using Enrollment.Domain;
using Enrollment.Features.Flows.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.EditBinding;

public sealed class EditBinding(ISender sender) : PageModel
{
    [FromRoute] public string Slug { get; set; } = "";
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public Command Input { get; set; } = new();
    public string StageName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var found = await sender.Send(new Query(Slug, Id));
        if (found is null) return NotFound();
        (Input, StageName) = found.Value;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (ModelState.IsValid)
        {
            Input.Slug = Slug;
            Input.Id = Id;
            var result = await sender.Send(Input);
            if (result is null) return NotFound();
            if (result.Succeeded)
            {
                TempData["Flash"] = "Binding saved.";
                return Redirect($"/if/admin/flows/{Uri.EscapeDataString(Slug)}/bindings/");
            }
            ModelState.AddErrors(result.Errors);
        }
        var found = await sender.Send(new Query(Slug, Id));
        if (found is null) return NotFound();
        StageName = found.Value.Item2;
        return Page();
    }

    public sealed record Query(string Slug, Guid Id) : IQuery<(Command, string)?>;

    public sealed class Command : BindingForm, ICommand<FormResult<Guid>?>
    {
        internal string Slug { get; set; } = "";
        internal Guid Id { get; set; }
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, (Command, string)?>, ICommandHandler<Command, FormResult<Guid>?>
    {
        public async ValueTask<(Command, string)?> Handle(Query query, CancellationToken ct)
        {
            var b = await db.FlowStageBindings.AsNoTracking().Include(x => x.Stage)
                .SingleOrDefaultAsync(x => x.Id == query.Id && x.Flow.Slug == query.Slug, ct);
            if (b is null) return null;
            return (new Command
            {
                Order = b.Order, EvaluateOnPlan = b.EvaluateOnPlan, ReEvaluatePolicies = b.ReEvaluatePolicies,
                InvalidResponseAction = Wire.Name(b.InvalidResponseAction), PolicyEngineMode = Wire.Name(b.PolicyEngineMode),
            }, b.Stage.Name);
        }

        public async ValueTask<FormResult<Guid>?> Handle(Command command, CancellationToken ct)
        {
            var b = await db.FlowStageBindings.SingleOrDefaultAsync(x => x.Id == command.Id && x.Flow.Slug == command.Slug, ct);
            if (b is null) return null;
            if (await db.FlowStageBindings.AnyAsync(x => x.Id != b.Id && x.FlowId == b.FlowId && x.StageId == b.StageId && x.Order == command.Order, ct))
                return FormResult<Guid>.Fail(nameof(command.Order), "This stage is already bound to this flow at this order.");
            command.ApplyTo(b);
            audit.Record("model_updated", AuditTrail.Model("authentik_flows", command.Slug, b.Id, "flowstagebinding"));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(b.Id);
        }
    }
}
