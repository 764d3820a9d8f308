using Enrollment.Domain;
using Enrollment.Features.Groups.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Enrollment.Features.Groups.CreateGroup;

public sealed class CreateGroup(ISender sender) : PageModel
{
    [BindProperty] public Command Input { get; set; } = new();
    public IReadOnlyList<SelectListItem> Parents { get; private set; } = [];

    public async Task OnGetAsync() => Parents = await sender.Send(new ParentChoices(null));

    public async Task<IActionResult> OnPostAsync()
    {
        if (ModelState.IsValid)
        {
            var result = await sender.Send(Input);
            if (result.Succeeded)
            {
                TempData["Flash"] = $"Group “{Input.Name.Trim()}” created.";
                return Redirect($"/if/admin/groups/{result.Value}/members/");
            }
            ModelState.AddErrors(result.Errors);
        }
        Parents = await sender.Send(new ParentChoices(null));
        return Page();
    }

    public sealed class Command : GroupForm, ICommand<FormResult<Guid>>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : ICommandHandler<Command, FormResult<Guid>>
    {
        public async ValueTask<FormResult<Guid>> Handle(Command command, CancellationToken ct)
        {
            var (errors, attributes) = await command.ValidateAsync(db, null, ct);
            if (errors.Count > 0) return FormResult<Guid>.Fail(errors);
            var group = new Group { Name = "" };
            command.ApplyTo(group, attributes);
            db.Groups.Add(group);
            audit.Record("model_created", AuditTrail.Model("authentik_core", group.Name, group.Id, "group"));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(group.Id);
        }
    }
}
