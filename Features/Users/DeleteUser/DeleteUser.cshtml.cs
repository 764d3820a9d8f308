using Enrollment.Infrastructure.Identity;
using Enrollment.Features.Users.SetUserActive;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Users.DeleteUser;

public sealed class DeleteUser(ISender sender) : PageModel
{
    [FromRoute] public int Id { get; set; }
    public Summary Info { get; private set; } = null!;
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var info = await sender.Send(new Query(Id));
        if (info is null) return NotFound();
        Info = info;
        if (Id == (User.UserId() ?? 0)) Refusal = SelfRefusal;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await sender.Send(new Command(Id, (User.UserId() ?? 0)));
        if (result is null) return NotFound();
        if (!result.Succeeded)
        {
            Info = (await sender.Send(new Query(Id)))!;
            Refusal = result.Errors[0].Message;
            return Page();
        }
        TempData["Flash"] = $"User {result.Value} deleted.";
        return Redirect("/if/admin/users/");
    }

    internal const string SelfRefusal = "You cannot delete your own account; ask another administrator.";

    public sealed record Query(int Id) : IQuery<Summary?>;
    public sealed record Summary(string UserName, int Tokens, int Invitations);
    public sealed record Command(int Id, int ActorId) : ICommand<FormResult<string>?>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, Summary?>, ICommandHandler<Command, FormResult<string>?>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct) =>
            await db.Users.AsNoTracking().Where(u => u.Id == query.Id)
                .Select(u => new Summary(u.UserName!, db.Tokens.Count(t => t.UserId == u.Id), db.Invitations.Count(i => i.CreatedById == u.Id)))
                .SingleOrDefaultAsync(ct);

        public async ValueTask<FormResult<string>?> Handle(Command command, CancellationToken ct)
        {
            // Loaded inside: a transient failure (PostgreSQL, SQL Server) runs the whole deletion again.
            return await db.RetryingAsync(async _ =>
            {
                var user = await db.Users.SingleOrDefaultAsync(u => u.Id == command.Id, ct);
                if (user is null) return null;
                if (user.Id == command.ActorId) return FormResult<string>.Fail("", SelfRefusal);
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // Explicit, because SQL Server has no cascade from users to policy bindings.
                await db.PolicyBindings.Where(p => p.UserId == user.Id).ExecuteDeleteAsync(ct);
                // The invitation uses stay, without their user (SQL Server cannot set it null by itself).
                await db.InvitationUses.Where(u => u.UserId == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.UserId, (int?)null), ct);
                db.Users.Remove(user);
                audit.Record("model_deleted", AuditTrail.Model("authentik_core", user.UserName!, user.Id, "user"));
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                return FormResult<string>.Ok(user.UserName!);
            }, ct);
        }
    }
}
