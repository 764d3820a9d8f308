using Enrollment.Features.Groups.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Groups.EditGroup;

public sealed class EditGroup(ISender sender) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    [BindProperty] public Command Input { get; set; } = new();
    public IReadOnlyList<SelectListItem> Parents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        var form = await sender.Send(new Query(Id));
        if (form is null) return NotFound();
        Input = form;
        Parents = await sender.Send(new ParentChoices(Id));
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
                TempData["Flash"] = "Group saved.";
                return Redirect("/if/admin/groups/");
            }
            ModelState.AddErrors(result.Errors);
        }
        Parents = await sender.Send(new ParentChoices(Id));
        return Page();
    }

    public sealed record Query(Guid Id) : IQuery<Command?>;

    public sealed class Command : GroupForm, ICommand<FormResult<Guid>?>
    {
        internal Guid Id { get; set; }
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, Command?>, ICommandHandler<Command, FormResult<Guid>?>
    {
        public async ValueTask<Command?> Handle(Query query, CancellationToken ct)
        {
            var group = await db.Groups.AsNoTracking().SingleOrDefaultAsync(g => g.Id == query.Id, ct);
            return group is null ? null : GroupForm.From<Command>(group);
        }

        public async ValueTask<FormResult<Guid>?> Handle(Command command, CancellationToken ct)
        {
            var group = await db.Groups.SingleOrDefaultAsync(g => g.Id == command.Id, ct);
            if (group is null) return null;
            var (errors, attributes) = await command.ValidateAsync(db, group.Id, ct);
            if (errors.Count > 0) return FormResult<Guid>.Fail(errors);
            if (!await SuperuserGuard.AnyActiveSuperuserAfterAsync(db, ct,
                    groups => groups[group.Id] = new SuperuserGuard.Node(command.ParentId, command.IsSuperuser)))
                return FormResult<Guid>.Fail(nameof(GroupForm.IsSuperuser), SuperuserGuard.Refusal);
            command.ApplyTo(group, attributes);
            audit.Record("model_updated", AuditTrail.Model("authentik_core", group.Name, group.Id, "group"));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(group.Id);
        }
    }
}
