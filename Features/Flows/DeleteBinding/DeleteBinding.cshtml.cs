using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.DeleteBinding;

/// <summary>Unbinds a stage. The list posts here directly (with a JS confirm); without JS the GET page asks first.</summary>
public sealed class DeleteBinding(ISender sender) : PageModel
{
    [FromRoute] public string Slug { get; set; } = "";
    [FromRoute] public Guid Id { get; set; }
    public string StageName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var name = await sender.Send(new Query(Slug, Id));
        if (name is null) return NotFound();
        StageName = name;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await sender.Send(new Command(Slug, Id))) return NotFound();
        TempData["Flash"] = "Stage unbound.";
        return Redirect($"/if/admin/flows/{Uri.EscapeDataString(Slug)}/bindings/");
    }

    public sealed record Query(string Slug, Guid Id) : IQuery<string?>;
    public sealed record Command(string Slug, Guid Id) : ICommand<bool>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, string?>, ICommandHandler<Command, bool>
    {
        public async ValueTask<string?> Handle(Query query, CancellationToken ct) =>
            await db.FlowStageBindings.AsNoTracking().Where(b => b.Id == query.Id && b.Flow.Slug == query.Slug)
                .Select(b => b.Stage.Name).SingleOrDefaultAsync(ct);

        public async ValueTask<bool> Handle(Command command, CancellationToken ct)
        {
            var binding = await db.FlowStageBindings.Include(b => b.PolicyBindings)
                .SingleOrDefaultAsync(b => b.Id == command.Id && b.Flow.Slug == command.Slug, ct);
            if (binding is null) return false;
            db.PolicyBindings.RemoveRange(binding.PolicyBindings);
            db.FlowStageBindings.Remove(binding);
            audit.Record("model_deleted", AuditTrail.Model("authentik_flows", command.Slug, binding.Id, "flowstagebinding"));
            await db.SaveChangesAsync(ct);
            return true;
        }
    }
}
