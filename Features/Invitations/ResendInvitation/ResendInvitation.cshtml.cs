using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Refusal = Enrollment.Features.Invitations.QueueInvitationEmails.QueueInvitationEmails.Refusal;

namespace Enrollment.Features.Invitations.ResendInvitation;

/// <summary>
/// Resends one recipient's invitation email (<see cref="QueueInvitationEmails.QueueInvitationEmails.Resend"/>): the
/// delivery starts over and a success records a new <c>invitation_sent</c> in the name of the admin who resent it.
/// The table's Resend buttons post here; the GET is the confirmation page for a browser without them.
/// </summary>
public sealed class ResendInvitation(ISender sender) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    [FromRoute] public Guid DeliveryId { get; set; }
    public Summary Delivery { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await sender.Send(new Query(Id, DeliveryId)) is not { } summary) return NotFound();
        Delivery = summary;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await sender.Send(new QueueInvitationEmails.QueueInvitationEmails.Resend(Id, DeliveryId, User.UserId()));
        if (result is null) return NotFound();
        if (result.Resent && Request.WantsFragment())
        {
            // htmx: nothing to swap; the event reloads the deliveries table, which shows the email queued again.
            Response.Headers["HX-Trigger"] = SendInvitation.SendInvitation.DeliveriesChanged;
            return new NoContentResult();
        }
        TempData["Flash"] = result.Message;
        var details = $"/if/admin/invitations/{Id}/#deliveries";
        if (!Request.IsHtmx()) return Redirect(details);
        Response.Headers["HX-Location"] = details;
        return new NoContentResult();
    }

    public sealed record Query(Guid InvitationId, Guid DeliveryId) : IQuery<Summary?>;

    public sealed record Summary(string InvitationName, string Email, DeliveryState State, string? LastError, Refusal? Refused)
    {
        public bool CanResend => Refused is null && State is not (DeliveryState.Queued or DeliveryState.Sending);
    }

    internal sealed class Handler(AppDbContext db, TimeProvider clock) : IQueryHandler<Query, Summary?>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct)
        {
            var d = await db.InvitationDeliveries.AsNoTracking()
                .Where(x => x.Id == query.DeliveryId && x.InvitationId == query.InvitationId)
                .Select(x => new { x.Email, x.State, x.LastError, x.Invitation })
                .SingleOrDefaultAsync(ct);
            return d is null ? null
                : new Summary(d.Invitation.Name, d.Email, d.State, d.LastError, QueueInvitationEmails.QueueInvitationEmails.Check(d.Invitation, clock.GetUtcNow().UtcDateTime));
        }
    }
}
