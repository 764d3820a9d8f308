using Enrollment.Domain;
using Enrollment.Features.Invitations.SendInvitation;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Email;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.ResendInvitation;

/// <summary>
/// Resends one recipient's invitation email: the delivery starts over (queued, no attempts, no error) and goes to
/// the delivery jobs again; a success records a new <c>invitation_sent</c> in the name of the admin who resent it.
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
        var result = await sender.Send(new Command(Id, DeliveryId, User.UserId()));
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

    public sealed record Summary(string InvitationName, string Email, DeliveryState State, string? LastError, QueueInvitationEmails.Refusal? Refused)
    {
        public bool CanResend => Refused is null && State is not (DeliveryState.Queued or DeliveryState.Sending);
    }

    /// <returns>Null when there is no such delivery of that invitation.</returns>
    public sealed record Command(Guid InvitationId, Guid DeliveryId, int? RequestedById) : ICommand<Outcome?>;

    public sealed record Outcome(bool Resent, string Message);

    internal sealed class Handler(AppDbContext db, InvitationDeliveryQueue queue, TimeProvider clock)
        : IQueryHandler<Query, Summary?>, ICommandHandler<Command, Outcome?>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct)
        {
            var d = await db.InvitationDeliveries.AsNoTracking()
                .Where(x => x.Id == query.DeliveryId && x.InvitationId == query.InvitationId)
                .Select(x => new { x.Invitation.Name, x.Email, x.State, x.LastError, x.Invitation.FlowId, x.Invitation.Expires, x.Invitation.SingleUse, x.Invitation.Uses })
                .SingleOrDefaultAsync(ct);
            return d is null ? null
                : new Summary(d.Name, d.Email, d.State, d.LastError,
                    QueueInvitationEmails.Check(d.FlowId is not null, d.Expires, d.SingleUse && d.Uses > 0, clock.GetUtcNow().UtcDateTime));
        }

        public async ValueTask<Outcome?> Handle(Command command, CancellationToken ct)
        {
            if (await Handle(new Query(command.InvitationId, command.DeliveryId), ct) is not { } delivery) return null;
            if (delivery.Refused is { } refused)
                return new Outcome(false, $"Not resent to {delivery.Email}: {QueueInvitationEmails.PageMessage(refused)}");

            // One conditional UPDATE: of two clicks (or two admins) only one puts the email back in the queue, and
            // an email already queued or being sent is not queued a second time.
            var reset = await db.InvitationDeliveries
                .Where(d => d.Id == command.DeliveryId && d.State != DeliveryState.Queued && d.State != DeliveryState.Sending)
                .ExecuteUpdateAsync(u => u
                    .SetProperty(d => d.State, DeliveryState.Queued)
                    .SetProperty(d => d.Attempts, 0)
                    .SetProperty(d => d.LastError, (string?)null)
                    .SetProperty(d => d.NextAttempt, (DateTime?)null)
                    .SetProperty(d => d.Sent, (DateTime?)null)
                    .SetProperty(d => d.RequestedById, command.RequestedById), ct);
            if (reset == 0) return new Outcome(false, $"The email to {delivery.Email} is already queued.");
            queue.Enqueue([command.DeliveryId]);
            return new Outcome(true, $"The invitation email to {delivery.Email} is queued again.");
        }
    }
}
