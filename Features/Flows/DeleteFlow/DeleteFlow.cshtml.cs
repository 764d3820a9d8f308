using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.DeleteFlow;

public sealed class DeleteFlow(ISender sender) : PageModel
{
    [FromRoute] public string Slug { get; set; } = "";
    public Summary Info { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        var info = await sender.Send(new Query(Slug));
        if (info is null) return NotFound();
        Info = info;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await sender.Send(new Command(Slug))) return NotFound();
        TempData["Flash"] = "Flow deleted.";
        return Redirect("/if/admin/flows/");
    }

    public sealed record Query(string Slug) : IQuery<Summary?>;
    public sealed record Summary(string Name, int Bindings, int Invitations);
    public sealed record Command(string Slug) : ICommand<bool>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, Summary?>, ICommandHandler<Command, bool>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct) =>
            await db.Flows.AsNoTracking().Where(f => f.Slug == query.Slug)
                .Select(f => new Summary(f.Name, f.Bindings.Count, db.Invitations.Count(i => i.FlowId == f.Id)))
                .SingleOrDefaultAsync(ct);

        public async ValueTask<bool> Handle(Command command, CancellationToken ct)
        {
            // Loaded inside: a transient failure (PostgreSQL, SQL Server) runs the whole deletion again.
            return await db.RetryingAsync(async _ =>
            {
                var flow = await db.Flows.SingleOrDefaultAsync(f => f.Slug == command.Slug, ct);
                if (flow is null) return false;
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // Explicit, so that engines without cascading paths (SQL Server) behave like the others.
                await db.PolicyBindings.Where(p => p.FlowId == flow.Id || p.FlowStageBinding!.FlowId == flow.Id).ExecuteDeleteAsync(ct);
                await db.Invitations.Where(i => i.FlowId == flow.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.FlowId, (Guid?)null), ct);
                db.Flows.Remove(flow);
                audit.Record("model_deleted", AuditTrail.Model("authentik_flows", flow.Name, flow.Id, "flow"));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return true;
            }, ct);
        }
    }
}
