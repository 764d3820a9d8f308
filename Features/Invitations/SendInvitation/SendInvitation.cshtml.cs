using System.ComponentModel.DataAnnotations;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Features.Invitations.QueueInvitationEmails.QueueInvitationEmails;

namespace Enrollment.Features.Invitations.SendInvitation;

/// <summary>
/// Invitations › an invitation › Send by email. The form sits on the invitation's page and posts here; this page
/// shows it alone, with its errors, when JavaScript is off. With htmx the form swaps itself (<c>_SendForm</c>) and
/// raises <c>deliveries-changed</c>, which reloads the deliveries table.
/// </summary>
public sealed class SendInvitation(ISender sender, IConfiguration configuration) : PageModel
{
    public const string DeliveriesChanged = "deliveries-changed";

    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public Form Input { get; set; } = new();
    public Summary Invitation { get; private set; } = null!;
    /// <summary>Said above the emptied form after a send (htmx only; otherwise the flash after the redirect says it).</summary>
    public string? Queued { get; private set; }

    public FormView View => new(Id, Input, Invitation.Refused, Queued);

    public async Task<IActionResult> OnGetAsync()
    {
        if (await sender.Send(new Query(Id)) is not { } summary) return NotFound();
        Invitation = summary;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await sender.Send(new Query(Id)) is not { } summary) return NotFound();
        Invitation = summary;
        if (!ModelState.IsValid) return this.PageOrPartial("_SendForm", View);

        var result = await sender.Send(Input.ToCommand(Id, LinkOrigin.Of(configuration, Request), User.UserId()));
        if (!result.Found) return NotFound();
        if (result.Succeeded)
        {
            var message = result.Queued == 1
                ? "The invitation email is queued; its state shows below."
                : $"{result.Queued} invitation emails are queued, one per address; their states show below.";
            if (!Request.WantsFragment())
            {
                TempData["Flash"] = message;
                return Redirect($"/if/admin/invitations/{Id}/#deliveries");
            }
            Response.Headers["HX-Trigger"] = DeliveriesChanged;
            ModelState.Clear();
            Input = new Form();
            Queued = message;
            return Partial("_SendForm", View);
        }
        foreach (var error in result.Errors) ModelState.AddModelError($"Input.{Form.Name(error.Field)}", error.Message);
        if (result.Refused is { } refused)
            ModelState.AddModelError(refused == Refusal.NoAddresses ? "Input.Addresses" : "", PageMessage(refused));
        return this.PageOrPartial("_SendForm", View);
    }

    /// <summary>What the form partial needs, whether this page or the invitation's page renders it.</summary>
    public sealed record FormView(Guid InvitationId, Form Input, Refusal? Refused, string? Queued = null);

    public sealed class Form
    {
        [Required(ErrorMessage = "Enter at least one email address.")]
        [StringLength(200_000, ErrorMessage = "That is too much text; send at most 1000 addresses at a time.")]
        public string? Addresses { get; set; }

        [StringLength(20_000)]
        public string? Cc { get; set; }

        [StringLength(20_000)]
        public string? Bcc { get; set; }

        [StringLength(200)]
        public string? Template { get; set; }

        /// <summary>Days until each recipient's reminder; empty: no reminder.</summary>
        public int? RemindAfterDays { get; set; }

        public Command ToCommand(Guid invitationId, string baseUrl, int? requestedBy) =>
            new(invitationId, Split(Addresses), Split(Cc), Split(Bcc), Template, baseUrl, requestedBy, RemindAfterDays);

        /// <summary>One address per line, or several separated by commas or semicolons.</summary>
        public static IReadOnlyList<string> Split(string? text) =>
            (text ?? "").Split(['\r', '\n', ',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

        public static string Name(Field field) => field switch
        {
            Field.To => nameof(Addresses),
            Field.Cc => nameof(Cc),
            Field.Bcc => nameof(Bcc),
            Field.RemindAfterDays => nameof(RemindAfterDays),
            _ => nameof(Template),
        };
    }

    public sealed record Query(Guid Id) : IQuery<Summary?>;

    public sealed record Summary(string Name, Refusal? Refused);

    internal sealed class Handler(AppDbContext db, TimeProvider clock) : IQueryHandler<Query, Summary?>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct)
        {
            var i = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(x => x.Id == query.Id, ct);
            return i is null ? null : new Summary(i.Name, Check(i, clock.GetUtcNow().UtcDateTime));
        }
    }
}
