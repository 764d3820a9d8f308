using Enrollment.Domain;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Stages.EditStage;

public sealed class EditStage(ISender sender) : PageModel, IStageFormPage
{
    [FromRoute] public Guid Id { get; set; }
    public StageForm Input { get; private set; } = null!;
    public StageKind Kind { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        if (await sender.Send(new Query(Id)) is not { } editing) return NotFound();
        (Kind, Input) = editing;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await sender.Send(new Query(Id)) is not { } editing) return NotFound();
        // The stored stage's kind decides the form's type; the posted values replace the stored ones.
        (Kind, Input) = (editing.Kind, editing.Kind.NewForm());
        if (await TryUpdateModelAsync(Input, Input.GetType(), nameof(Input)))
        {
            var result = await sender.Send(new Command(Id, Input));
            if (result is null) return NotFound();
            if (result.Succeeded)
            {
                TempData["Flash"] = $"Stage “{Input.Name.Trim()}” saved.";
                return Redirect("/if/admin/stages/");
            }
            ModelState.AddErrors(result.Errors);
        }
        await sender.Send(new LoadChoices(Kind, Input));
        return Page();
    }

    public sealed record Query(Guid Id) : IQuery<Editing?>;

    public sealed record Editing(StageKind Kind, StageForm Form);

    /// <summary>Loads the choices (prompts, policies, groups) into a posted form shown again.</summary>
    public sealed record LoadChoices(StageKind Kind, StageForm Form) : IQuery<StageForm>;

    public sealed record Command(Guid Id, StageForm Form) : ICommand<FormResult<Guid>?>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit, StageKinds kinds)
        : IQueryHandler<Query, Editing?>, IQueryHandler<LoadChoices, StageForm>, ICommandHandler<Command, FormResult<Guid>?>
    {
        public async ValueTask<Editing?> Handle(Query query, CancellationToken ct)
        {
            var stage = await Load(query.Id).AsNoTracking().SingleOrDefaultAsync(ct);
            if (stage is null) return null;
            var kind = kinds.Of(stage);
            var form = kind.FormFor(stage);
            await kind.LoadChoicesAsync(db, form, ct);
            return new Editing(kind, form);
        }

        public async ValueTask<StageForm> Handle(LoadChoices query, CancellationToken ct)
        {
            await query.Kind.LoadChoicesAsync(db, query.Form, ct);
            return query.Form;
        }

        public async ValueTask<FormResult<Guid>?> Handle(Command command, CancellationToken ct)
        {
            var stage = await Load(command.Id).SingleOrDefaultAsync(ct);
            if (stage is null) return null;
            var name = command.Form.Name.Trim();
            if (name != stage.Name && await db.Stages.AnyAsync(s => s.Name == name && s.Id != stage.Id, ct))
                return FormResult<Guid>.Fail(nameof(StageForm.Name), "A stage with this name already exists.");
            var errors = await kinds.Of(stage).ApplyAsync(db, command.Form, stage, ct);
            if (errors.Count > 0) return FormResult<Guid>.Fail(errors);
            audit.Record("model_updated", kinds.AuditModel(stage));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(stage.Id);
        }

        private IQueryable<Stage> Load(Guid id) =>
            kinds.Details.Aggregate(db.Stages.Where(s => s.Id == id), (q, detail) => q.Include(detail));
    }
}
