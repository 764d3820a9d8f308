using Enrollment.Domain;
using Enrollment.Features.Policies.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Features.Policies.CreatePasswordPolicy;

public sealed class CreatePasswordPolicy(ISender sender) : PageModel
{
    [BindProperty] public Command Input { get; set; } = new();

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (ModelState.IsValid)
        {
            var result = await sender.Send(Input);
            if (result.Succeeded)
            {
                TempData["Flash"] = $"Policy “{Input.Name.Trim()}” created.";
                return Redirect($"/if/admin/policies/{result.Value}/");
            }
            ModelState.AddErrors(result.Errors);
        }
        return Page();
    }

    public sealed class Command : PasswordPolicyForm, ICommand<FormResult<Guid>>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : ICommandHandler<Command, FormResult<Guid>>
    {
        public async ValueTask<FormResult<Guid>> Handle(Command command, CancellationToken ct)
        {
            var errors = await command.ValidateAsync(db, null, ct);
            if (errors.Count > 0) return FormResult<Guid>.Fail(errors);
            var policy = new PasswordPolicy { Name = "" };
            command.ApplyTo(policy);
            db.Policies.Add(policy);
            audit.Record("model_created", PolicyForm.EventModel(policy));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(policy.Id);
        }
    }
}
