using Enrollment.Features.Policies.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Policies.DeletePolicy;

public sealed class DeletePolicy(ISender sender) : PageModel
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
        var name = await sender.Send(new Command(Id));
        if (name is null) return NotFound();
        TempData["Flash"] = $"Policy “{name}” deleted.";
        return Redirect("/if/admin/policies/");
    }

    public sealed record Query(Guid Id) : IQuery<Summary?>;
    public sealed record Summary(string Name, PolicyUsage Usage);

    /// <summary>Answers the deleted policy's name, or null when there is no such policy.</summary>
    public sealed record Command(Guid Id) : ICommand<string?>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, Summary?>, ICommandHandler<Command, string?>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct)
        {
            var name = await db.Policies.AsNoTracking().Where(p => p.Id == query.Id).Select(p => p.Name).SingleOrDefaultAsync(ct);
            return name is null ? null : new Summary(name, await PolicyUsage.LoadAsync(db, query.Id, ct));
        }

        public async ValueTask<string?> Handle(Command command, CancellationToken ct)
        {
            // Loaded inside: a transient failure (PostgreSQL, SQL Server) runs the whole deletion again.
            return await db.RetryingAsync(async _ =>
            {
                var policy = await db.Policies.SingleOrDefaultAsync(p => p.Id == command.Id, ct);
                if (policy is null) return null;
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // The database cascades both (bindings, and the prompt stages' validation links); saying it here keeps
                // the rule visible and independent of how a provider's migration spelled the foreign keys.
                await db.PolicyBindings.Where(b => b.PolicyId == policy.Id).ExecuteDeleteAsync(ct);
                db.Policies.Remove(policy);
                audit.Record("model_deleted", PolicyForm.EventModel(policy));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return policy.Name;
            }, ct);
        }
    }
}
