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
    [BindProperty] public Command Input { get; set; } = new();
    public StageKind Kind { get; private set; }
    public StageOptions Options { get; private set; } = null!;
    StageForm IStageFormPage.Input => Input;

    public async Task<IActionResult> OnGetAsync()
    {
        var editing = await sender.Send(new Query(Id));
        if (editing is null) return NotFound();
        (Kind, Input, Options) = editing;
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
                TempData["Flash"] = $"Stage “{Input.Name.Trim()}” saved.";
                return Redirect("/if/admin/stages/");
            }
            ModelState.AddErrors(result.Errors);
        }
        // Show the posted values again, with the kind and choices of the stage as stored.
        var editing = await sender.Send(new Query(Id));
        if (editing is null) return NotFound();
        (Kind, _, Options) = editing;
        return Page();
    }

    public sealed record Query(Guid Id) : IQuery<Editing?>;

    public sealed record Editing(StageKind Kind, Command Form, StageOptions Options);

    public sealed class Command : StageForm, ICommand<FormResult<Guid>?>
    {
        internal Guid Id { get; set; }
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, Editing?>, ICommandHandler<Command, FormResult<Guid>?>
    {
        public async ValueTask<Editing?> Handle(Query query, CancellationToken ct)
        {
            var stage = await Load(query.Id).AsNoTracking().SingleOrDefaultAsync(ct);
            if (stage is null) return null;
            return new Editing(stage.Kind, StageForm.From<Command>(stage), await StageOptions.LoadAsync(db, stage.Kind, ct));
        }

        public async ValueTask<FormResult<Guid>?> Handle(Command command, CancellationToken ct)
        {
            var stage = await Load(command.Id).SingleOrDefaultAsync(ct);
            if (stage is null) return null;
            var name = command.Name.Trim();
            if (name != stage.Name && await db.Stages.AnyAsync(s => s.Name == name && s.Id != stage.Id, ct))
                return FormResult<Guid>.Fail(nameof(StageForm.Name), "A stage with this name already exists.");
            var errors = await StageWriter.ApplyAsync(db, command, stage, ct);
            if (errors.Count > 0) return FormResult<Guid>.Fail(errors);
            audit.Record("model_updated", StageKinds.AuditModel(stage));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(stage.Id);
        }

        private IQueryable<Stage> Load(Guid id) => db.Stages
            .Include(s => ((PromptStage)s).Fields)
            .Include(s => ((PromptStage)s).ValidationPolicies)
            .Where(s => s.Id == id);
    }
}
