using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.Stages.Prompt;

namespace Enrollment.Features.Prompts.DeletePrompt;

public sealed class DeletePrompt(ISender sender) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    public Summary Info { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        var info = await sender.Send(new Query(Id));
        if (info is null) return NotFound();
        Info = info;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await sender.Send(new Command(Id))) return NotFound();
        TempData["Flash"] = "Prompt deleted.";
        return Redirect("/if/admin/prompts/");
    }

    public sealed record Query(Guid Id) : IQuery<Summary?>;
    public sealed record StageLink(Guid Id, string Name);
    public sealed record Summary(string Name, string FieldKey, IReadOnlyList<StageLink> Stages);
    public sealed record Command(Guid Id) : ICommand<bool>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, Summary?>, ICommandHandler<Command, bool>
    {
        public async ValueTask<Summary?> Handle(Query query, CancellationToken ct)
        {
            var prompt = await db.Prompts.AsNoTracking().Where(p => p.Id == query.Id)
                .Select(p => new { p.Name, p.FieldKey }).SingleOrDefaultAsync(ct);
            if (prompt is null) return null;
            var stages = await PromptStageKind.Showing(db, [query.Id]).AsNoTracking()
                .OrderBy(s => s.StageName).Select(s => new StageLink(s.StageId, s.StageName)).ToListAsync(ct);
            return new Summary(prompt.Name, prompt.FieldKey, stages);
        }

        public async ValueTask<bool> Handle(Command command, CancellationToken ct)
        {
            var prompt = await db.Prompts.SingleOrDefaultAsync(p => p.Id == command.Id, ct);
            if (prompt is null) return false;
            // The stages' links to the prompt go with it (cascade on the join table); the stages stay.
            db.Prompts.Remove(prompt);
            audit.Record("model_deleted", AuditTrail.Model("authentik_stages_prompt", prompt.Name, prompt.Id, "prompt"));
            await db.SaveChangesAsync(ct);
            return true;
        }
    }
}
