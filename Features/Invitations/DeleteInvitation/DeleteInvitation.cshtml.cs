using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.DeleteInvitation;

/// <summary>Revoking an invitation is deleting it, as in authentik: its link then meets the unknown-invitation message.</summary>
public sealed class DeleteInvitation(ISender sender) : PageModel
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
        TempData["Flash"] = $"Invitation “{name}” revoked; its link no longer works.";
        return Redirect("/if/admin/invitations/");
    }

    public sealed record Query(Guid Id) : IQuery<Summary?>;
    public sealed record Summary(string Name);
    /// <summary>Returns the deleted invitation's name, or null when there was none.</summary>
    public sealed record Command(Guid Id) : ICommand<string?>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, Summary?>, ICommandHandler<Command, string?>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct) =>
            await db.Invitations.AsNoTracking().Where(i => i.Id == query.Id).Select(i => new Summary(i.Name)).SingleOrDefaultAsync(ct);

        public async ValueTask<string?> Handle(Command command, CancellationToken ct)
        {
            var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == command.Id, ct);
            if (invitation is null) return null;
            db.Invitations.Remove(invitation);
            // Actor and time come with the event; the invitation is named like invitation_created names it.
            audit.Record("invitation_deleted", new JsonObject
            {
                ["invitation"] = new JsonObject { ["pk"] = invitation.Id.ToString(), ["name"] = invitation.Name },
            });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return null; // deleted meanwhile (a second click, the expiry job): nothing left to revoke
            }
            return invitation.Name;
        }
    }
}
