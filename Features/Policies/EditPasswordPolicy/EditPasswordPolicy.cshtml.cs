using Enrollment.Domain;
using Enrollment.Features.Policies.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Policies.EditPasswordPolicy;

public sealed class EditPasswordPolicy(ISender sender) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public Command Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        var form = await sender.Send(new Query(Id));
        if (form is null) return NotFound();
        Input = form;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (ModelState.IsValid)
        {
            Input.Id = Id;
            var result = await sender.Send(Input);
            if (result is null) return NotFound();
            if (result.Succeeded)
            {
                TempData["Flash"] = "Policy saved.";
                return Redirect($"/if/admin/policies/{Id}/");
            }
            ModelState.AddErrors(result.Errors);
        }
        return Page();
    }

    public sealed record Query(Guid Id) : IQuery<Command?>;

    public sealed class Command : PasswordPolicyForm, ICommand<FormResult<Guid>?>
    {
        internal Guid Id { get; set; }
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit)
        : IQueryHandler<Query, Command?>, ICommandHandler<Command, FormResult<Guid>?>
    {
        public async ValueTask<Command?> Handle(Query query, CancellationToken ct)
        {
            var policy = await db.Policies.OfType<PasswordPolicy>().AsNoTracking().SingleOrDefaultAsync(p => p.Id == query.Id, ct);
            return policy is null ? null : PasswordPolicyForm.From<Command>(policy);
        }

        public async ValueTask<FormResult<Guid>?> Handle(Command command, CancellationToken ct)
        {
            var policy = await db.Policies.OfType<PasswordPolicy>().SingleOrDefaultAsync(p => p.Id == command.Id, ct);
            if (policy is null) return null;
            var errors = await command.ValidateAsync(db, policy.Id, ct);
            if (errors.Count > 0) return FormResult<Guid>.Fail(errors);
            command.ApplyTo(policy);
            audit.Record("model_updated", PolicyForm.EventModel(policy));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(policy.Id);
        }
    }
}
