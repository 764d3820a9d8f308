using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.DeletePolicyBinding;

public sealed class DeletePolicyBinding(ISender sender) : PageModel
{
    [FromRoute] public string Slug { get; set; } = "";
    [FromRoute] public Guid Id { get; set; }

    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var back = await sender.Send(new Command(Slug, Id));
        if (back is null) return NotFound();
        TempData["Flash"] = "Binding removed.";
        return Redirect(back);
    }

    /// <summary>Answers the page to go back to, or null when no such binding belongs to this flow.</summary>
    public sealed record Command(string Slug, Guid Id) : ICommand<string?>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : ICommandHandler<Command, string?>
    {
        public async ValueTask<string?> Handle(Command command, CancellationToken ct)
        {
            var binding = await db.PolicyBindings.SingleOrDefaultAsync(p => p.Id == command.Id
                && (p.Flow!.Slug == command.Slug || p.FlowStageBinding!.Flow.Slug == command.Slug), ct);
            if (binding is null) return null;
            db.PolicyBindings.Remove(binding);
            audit.Record("model_deleted", AuditTrail.Model("authentik_policies", command.Slug, binding.Id, "policybinding"));
            await db.SaveChangesAsync(ct);
            var slug = Uri.EscapeDataString(command.Slug);
            return binding.FlowStageBindingId is { } b ? $"/if/admin/flows/{slug}/policies/{b}/" : $"/if/admin/flows/{slug}/policies/";
        }
    }
}
