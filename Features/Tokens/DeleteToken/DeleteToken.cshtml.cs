using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Tokens.DeleteToken;

public sealed class DeleteToken(ISender sender) : PageModel
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
        TempData["Flash"] = "Token deleted.";
        return Redirect("/if/admin/tokens/");
    }

    public sealed record Query(Guid Id) : IQuery<Summary?>;
    public sealed record Summary(string Identifier, string? UserName);
    public sealed record Command(Guid Id) : ICommand<bool>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, Summary?>, ICommandHandler<Command, bool>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct) =>
            await db.Tokens.AsNoTracking().Where(t => t.Id == query.Id).Select(t => new Summary(t.Identifier, t.User.UserName)).SingleOrDefaultAsync(ct);

        public async ValueTask<bool> Handle(Command command, CancellationToken ct)
        {
            var token = await db.Tokens.SingleOrDefaultAsync(t => t.Id == command.Id, ct);
            if (token is null) return false;
            db.Tokens.Remove(token);
            audit.Record("model_deleted", AuditTrail.Model("authentik_core", token.Identifier, token.Id, "token"));
            await db.SaveChangesAsync(ct);
            return true;
        }
    }
}
