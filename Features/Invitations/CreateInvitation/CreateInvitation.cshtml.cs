using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Enrollment.Features.Invitations.CreateInvitation;

/// <summary>
/// Invitations › Create. The form (<see cref="InvitationForm"/>) goes into the same <see cref="Command"/> the API's
/// <c>POST /api/v3/stages/invitation/invitations/</c> sends, so both create and record an invitation alike.
/// </summary>
public sealed class CreateInvitation(ISender sender) : PageModel
{
    [BindProperty] public InvitationForm Input { get; set; } = new();
    public IReadOnlyList<SelectListItem> Flows { get; private set; } = [];
    public IReadOnlyList<GroupChoices.Choice> Groups { get; private set; } = [];

    public async Task OnGetAsync([FromQuery] string? flow)
    {
        Input.FlowSlug = flow;
        Flows = await sender.Send(new EnrollmentFlowChoices());
        Groups = await sender.Send(new GroupChoices());
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (ModelState.IsValid)
        {
            var result = await sender.Send(new Command(Input));
            if (result.Succeeded)
            {
                TempData["Flash"] = $"Invitation “{Input.Name}” created. Share the link below.";
                return Redirect($"/if/admin/invitations/{result.Value}/");
            }
            ModelState.AddErrors(result.Errors);
        }
        Flows = await sender.Send(new EnrollmentFlowChoices());
        Groups = await sender.Send(new GroupChoices());
        return Page();
    }

    /// <summary>
    /// Creates an invitation from <paramref name="Input"/>, in the name of the signed-in user, and records
    /// <c>invitation_created</c>. The result is the new invitation's id, or the input's errors.
    /// </summary>
    public sealed record Command(IInvitationInput Input) : ICommand<FormResult<Guid>>;
}
