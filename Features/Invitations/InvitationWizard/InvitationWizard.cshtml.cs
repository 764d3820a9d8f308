using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.InvitationWizard;

/// <summary>
/// One form for everything an invitation needs: a new enrollment flow from a template (invitation, credentials and
/// details prompts, optional email verification, user write, user login) or an existing enrollment flow, then the
/// invitation itself and, optionally, the addresses to email it to. The flow, its stages and the invitation are
/// created in one transaction (a second run with the same flow slug reuses that flow and its stages); the emails are
/// queued after the commit. The answer is the invitation's page: its link, its QR code and the emails' state.
/// Works with JavaScript off (a plain POST form).
/// </summary>
public sealed partial class InvitationWizard(ISender sender, TimeProvider clock) : PageModel
{
    [BindProperty] public WizardForm Input { get; set; } = new();

    public IReadOnlyList<SelectListItem> Flows { get; private set; } = [];
    public IReadOnlyList<SelectListItem> Groups { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Input.Invitation.Expires = clock.GetUtcNow().UtcDateTime.AddDays(7).ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Input.Invitation.SingleUse = true;
        await LoadChoicesAsync();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // The flow comes from step 1, not from the invitation's own field.
        ModelState.Remove($"{nameof(Input)}.{nameof(WizardForm.Invitation)}.FlowSlug");
        if (ModelState.IsValid)
        {
            var result = await sender.Send(new Command(Input, LinkOrigin.Of(HttpContext.RequestServices.GetRequiredService<IConfiguration>(), Request), User.UserId()));
            if (result.Succeeded)
            {
                TempData["Flash"] = result.Value!.SendProblem is { } problem
                    ? $"Invitation created, but no email was sent: {problem}"
                    : result.Value.Queued > 0 ? $"Invitation created; {result.Value.Queued} email(s) queued." : "Invitation created.";
                return Redirect($"/if/admin/invitations/{result.Value.InvitationId}/");
            }
            ModelState.AddErrors(result.Errors, nameof(Input));
        }
        await LoadChoicesAsync();
        return Page();
    }

    private async Task LoadChoicesAsync()
    {
        var choices = await sender.Send(new ChoicesQuery());
        Flows = choices.Flows;
        Groups = choices.Groups;
    }

    public sealed class WizardForm
    {
        /// <summary><c>new</c>: a flow from the template; <c>existing</c>: an enrollment flow that exists.</summary>
        [RegularExpression("^(new|existing)$")]
        public string Mode { get; set; } = "new";

        public string? ExistingFlowSlug { get; set; }

        [StringLength(200)]
        public string? FlowName { get; set; }

        [StringLength(50)]
        [RegularExpression("^[-a-zA-Z0-9_]+$", ErrorMessage = "Use only letters, digits, '-' and '_'.")]
        public string? FlowSlug { get; set; }

        [RegularExpression("^(internal|external)$", ErrorMessage = "Choose internal or external users.")]
        public string UserType { get; set; } = "external";

        [StringLength(200)]
        public string? UserPath { get; set; } = "users";

        public Guid? GroupId { get; set; }

        public bool EmailVerification { get; set; }

        public InvitationForm Invitation { get; set; } = new();

        /// <summary>Optional: one address a line (or comma-separated); each gets the invitation by email.</summary>
        [StringLength(200_000)]
        public string? Addresses { get; set; }
    }

    /// <param name="SendProblem">Why the emails were not queued (bad addresses); the invitation stands.</param>
    public sealed record Created(Guid InvitationId, int Queued, string? SendProblem = null);

    public sealed record Command(WizardForm Input, string BaseUrl, int? RequestedById) : ICommand<FormResult<Created>>;

    public sealed record ChoicesQuery : IQuery<Choices>;

    public sealed record Choices(IReadOnlyList<SelectListItem> Flows, IReadOnlyList<SelectListItem> Groups);

    internal sealed class ChoicesHandler(AppDbContext db) : IQueryHandler<ChoicesQuery, Choices>
    {
        public async ValueTask<Choices> Handle(ChoicesQuery query, CancellationToken ct) => new(
            await InvitationFields.EnrollmentFlowsAsync(db, ct),
            await db.Groups.AsNoTracking().OrderBy(g => g.Name).Select(g => new SelectListItem(g.Name, g.Id.ToString())).ToListAsync(ct));
    }
}
