using Enrollment.Domain;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Stages.CreateStage;

public sealed class CreateStage(ISender sender) : PageModel, IStageFormPage
{
    [FromRoute(Name = "kind")] public string KindName { get; set; } = "";
    [BindProperty] public Command Input { get; set; } = new();
    public StageKind Kind { get; private set; }
    public StageOptions Options { get; private set; } = null!;
    StageForm IStageFormPage.Input => Input;

    public async Task<IActionResult> OnGetAsync()
    {
        if (!StageKinds.TryParse(KindName, out var kind)) return NotFound();
        return await FormAsync(kind);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!StageKinds.TryParse(KindName, out var kind)) return NotFound();
        if (!ModelState.IsValid) return await FormAsync(kind);
        Input.Kind = kind;
        var result = await sender.Send(Input);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result.Errors);
            return await FormAsync(kind);
        }
        TempData["Flash"] = $"{StageKinds.Label(kind)} “{Input.Name.Trim()}” created. Bind it to a flow from the flow's page.";
        return Redirect("/if/admin/stages/");
    }

    private async Task<IActionResult> FormAsync(StageKind kind)
    {
        Kind = kind;
        Options = await sender.Send(new Query(kind));
        return Page();
    }

    public sealed record Query(StageKind Kind) : IQuery<StageOptions>;

    public sealed class Command : StageForm, ICommand<FormResult<Guid>>
    {
        internal StageKind Kind { get; set; }
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, StageOptions>, ICommandHandler<Command, FormResult<Guid>>
    {
        public async ValueTask<StageOptions> Handle(Query query, CancellationToken ct) => await StageOptions.LoadAsync(db, query.Kind, ct);

        public async ValueTask<FormResult<Guid>> Handle(Command command, CancellationToken ct)
        {
            var name = command.Name.Trim();
            if (await db.Stages.AnyAsync(s => s.Name == name, ct))
                return FormResult<Guid>.Fail(nameof(StageForm.Name), "A stage with this name already exists.");
            var stage = StageKinds.New(command.Kind);
            var errors = await StageWriter.ApplyAsync(db, command, stage, ct);
            if (errors.Count > 0) return FormResult<Guid>.Fail(errors);
            db.Stages.Add(stage);
            audit.Record("model_created", StageKinds.AuditModel(stage));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(stage.Id);
        }
    }
}
