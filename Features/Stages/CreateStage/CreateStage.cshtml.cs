using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Stages.CreateStage;

public sealed class CreateStage(ISender sender, StageKinds kinds) : PageModel, IStageFormPage
{
    [FromRoute(Name = "kind")] public string KindName { get; set; } = "";
    public StageForm Input { get; private set; } = null!;
    public StageKind Kind { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (kinds.Find(KindName) is not { } kind) return NotFound();
        (Kind, Input) = (kind, await sender.Send(new Query(kind, kind.NewForm())));
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (kinds.Find(KindName) is not { } kind) return NotFound();
        // The kind decides the form's type, so it is bound here rather than by [BindProperty].
        (Kind, Input) = (kind, kind.NewForm());
        if (await TryUpdateModelAsync(Input, Input.GetType(), nameof(Input)))
        {
            var result = await sender.Send(new Command(kind, Input));
            if (result.Succeeded)
            {
                TempData["Flash"] = $"{kind.Label} “{Input.Name.Trim()}” created. Bind it to a flow from the flow's page.";
                return Redirect("/if/admin/stages/");
            }
            ModelState.AddErrors(result.Errors);
        }
        await sender.Send(new Query(kind, Input));
        return Page();
    }

    /// <summary>Loads the choices (prompts, policies, groups) into the form.</summary>
    public sealed record Query(StageKind Kind, StageForm Form) : IQuery<StageForm>;

    public sealed record Command(StageKind Kind, StageForm Form) : ICommand<FormResult<Guid>>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit, StageKinds kinds) : IQueryHandler<Query, StageForm>, ICommandHandler<Command, FormResult<Guid>>
    {
        public async ValueTask<StageForm> Handle(Query query, CancellationToken ct)
        {
            await query.Kind.LoadChoicesAsync(db, query.Form, ct);
            return query.Form;
        }

        public async ValueTask<FormResult<Guid>> Handle(Command command, CancellationToken ct)
        {
            var name = command.Form.Name.Trim();
            if (await db.Stages.AnyAsync(s => s.Name == name, ct))
                return FormResult<Guid>.Fail(nameof(StageForm.Name), "A stage with this name already exists.");
            var stage = command.Kind.New(name);
            var errors = await command.Kind.ApplyAsync(db, command.Form, stage, ct);
            if (errors.Count > 0) return FormResult<Guid>.Fail(errors);
            db.Stages.Add(stage);
            audit.Record("model_created", kinds.AuditModel(stage));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(stage.Id);
        }
    }
}
