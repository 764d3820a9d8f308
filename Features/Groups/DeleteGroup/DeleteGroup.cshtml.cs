using Enrollment.Domain;
using Enrollment.Features.Groups.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.Stages.UserWrite;

namespace Enrollment.Features.Groups.DeleteGroup;

public sealed class DeleteGroup(ISender sender) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    public Summary Info { get; private set; } = null!;
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var info = await sender.Send(new Query(Id));
        if (info is null) return NotFound();
        Info = info;
        if (info.Children > 0) Refusal = HasChildren;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await sender.Send(new Command(Id));
        if (result is null) return NotFound();
        if (!result.Succeeded)
        {
            Info = (await sender.Send(new Query(Id)))!;
            Refusal = result.Errors[0].Message;
            return Page();
        }
        TempData["Flash"] = $"Group “{result.Value}” deleted.";
        return Redirect("/if/admin/groups/");
    }

    internal const string HasChildren = "This group has child groups. Delete them or give them another parent first.";

    public sealed record Query(Guid Id) : IQuery<Summary?>;
    public sealed record Summary(string Name, int Children, int Members, int PolicyBindings, int WriteStages);
    public sealed record Command(Guid Id) : ICommand<FormResult<string>?>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, Summary?>, ICommandHandler<Command, FormResult<string>?>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct)
        {
            var group = await db.Groups.AsNoTracking().Where(g => g.Id == query.Id)
                .Select(g => new { g.Name, Children = db.Groups.Count(c => c.ParentId == g.Id), Members = g.Users.Count, Bindings = db.PolicyBindings.Count(p => p.GroupId == g.Id) })
                .SingleOrDefaultAsync(ct);
            return group is null ? null
                : new Summary(group.Name, group.Children, group.Members, group.Bindings, await UserWriteStageKind.AddingTo(db, query.Id).CountAsync(ct));
        }

        public async ValueTask<FormResult<string>?> Handle(Command command, CancellationToken ct)
        {
            // Loaded inside: a transient failure (PostgreSQL, SQL Server) runs the whole deletion again.
            return await db.RetryingAsync(async _ =>
            {
                var group = await db.Groups.SingleOrDefaultAsync(g => g.Id == command.Id, ct);
                if (group is null) return null;
                if (await db.Groups.AnyAsync(g => g.ParentId == group.Id, ct)) return FormResult<string>.Fail("", HasChildren);
                if (!await SuperuserGuard.AnyActiveSuperuserAfterAsync(db, ct, groups => groups.Remove(group.Id)))
                    return FormResult<string>.Fail("", SuperuserGuard.Refusal);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // Explicit, because SQL Server has no cascade (or set-null) from groups to these rows.
                await db.PolicyBindings.Where(p => p.GroupId == group.Id).ExecuteDeleteAsync(ct);
                await UserWriteStageKind.AddingTo(db, group.Id)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.CreateUsersGroupId, (Guid?)null), ct);
                db.Groups.Remove(group);
                audit.Record("model_deleted", AuditTrail.Model("authentik_core", group.Name, group.Id, "group"));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return FormResult<string>.Ok(group.Name);
            }, ct);
        }
    }
}
