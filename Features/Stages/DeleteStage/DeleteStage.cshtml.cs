using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Stages.DeleteStage;

public sealed class DeleteStage(ISender sender) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    public Summary Info { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        var info = await sender.Send(new Query(Id));
        if (info is null) return NotFound();
        Info = info;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await sender.Send(new Command(Id))) return NotFound();
        TempData["Flash"] = "Stage deleted.";
        return Redirect("/if/admin/stages/");
    }

    public sealed record Query(Guid Id) : IQuery<Summary?>;
    public sealed record FlowLink(string Name, string Slug);
    public sealed record Summary(string Name, string KindLabel, IReadOnlyList<FlowLink> Flows);
    public sealed record Command(Guid Id) : ICommand<bool>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit, StageKinds kinds) : IQueryHandler<Query, Summary?>, ICommandHandler<Command, bool>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct)
        {
            var stage = await db.Stages.AsNoTracking().Where(s => s.Id == query.Id)
                .Select(s => new { s.Name, Kind = EF.Property<string>(s, "kind") }).SingleOrDefaultAsync(ct);
            if (stage is null) return null;
            var flows = await db.Flows.AsNoTracking().Where(f => f.Bindings.Any(b => b.StageId == query.Id))
                .OrderBy(f => f.Name).Select(f => new FlowLink(f.Name, f.Slug)).ToListAsync(ct);
            return new Summary(stage.Name, kinds.Label(stage.Kind), flows);
        }

        public async ValueTask<bool> Handle(Command command, CancellationToken ct)
        {
            // Loaded inside: a transient failure (PostgreSQL, SQL Server) runs the whole deletion again.
            return await db.RetryingAsync(async _ =>
            {
                var stage = await db.Stages.SingleOrDefaultAsync(s => s.Id == command.Id, ct);
                if (stage is null) return false;
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // Explicit, so that engines without cascading paths (SQL Server) behave like the others.
                await db.PolicyBindings.Where(p => p.FlowStageBinding!.StageId == stage.Id).ExecuteDeleteAsync(ct);
                db.Stages.Remove(stage);
                audit.Record("model_deleted", kinds.AuditModel(stage));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return true;
            }, ct);
        }
    }
}
