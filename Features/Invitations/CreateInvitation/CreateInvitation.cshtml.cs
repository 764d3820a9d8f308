using System.ComponentModel.DataAnnotations;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Enrollment.Features.Invitations.CreateInvitation;

public sealed class CreateInvitation(ISender sender) : PageModel
{
    [BindProperty] public Command Input { get; set; } = new();
    public IReadOnlyList<SelectListItem> Flows { get; private set; } = [];

    public async Task OnGetAsync([FromQuery] string? flow)
    {
        Input.FlowSlug = flow;
        Flows = await sender.Send(new EnrollmentFlowChoices());
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (ModelState.IsValid)
        {
            var result = await sender.Send(Input);
            if (result.Succeeded)
            {
                TempData["Flash"] = $"Invitation “{Input.Name}” created. Share the link below.";
                return Redirect($"/if/admin/invitations/{result.Value}/");
            }
            ModelState.AddErrors(result.Errors);
        }
        Flows = await sender.Send(new EnrollmentFlowChoices());
        return Page();
    }

    public sealed class Command : ICommand<FormResult<Guid>>
    {
        [Required(ErrorMessage = "Enter a name.")]
        [StringLength(200)]
        [RegularExpression("^[-a-zA-Z0-9_]+$", ErrorMessage = "Use only letters, digits, '-' and '_'.")]
        public string Name { get; set; } = "";

        /// <summary>As a datetime-local input sends it; parsed by the handler for a clear message.</summary>
        public string? Expires { get; set; }

        [Required(ErrorMessage = "Choose the enrollment flow this invitation is for.")]
        public string? FlowSlug { get; set; }

        [StringLength(65536, ErrorMessage = "Custom attributes may be at most 64 KB.")]
        public string? FixedData { get; set; }

        public bool SingleUse { get; set; }
    }
}
