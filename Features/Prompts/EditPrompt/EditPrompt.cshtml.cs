using Enrollment.Features.Prompts.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Prompts.EditPrompt;

public sealed class EditPrompt(ISender sender) : PageModel
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
        if (!ModelState.IsValid) return Page();
        Input.Id = Id;
        var result = await sender.Send(Input);
        if (result is null) return NotFound();
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result.Errors);
            return Page();
        }
        TempData["Flash"] = $"Prompt “{Input.Name.Trim()}” saved.";
        return Redirect("/if/admin/prompts/");
    }

    public sealed record Query(Guid Id) : IQuery<Command?>;

    public sealed class Command : PromptForm, ICommand<FormResult<Guid>?>
    {
        internal Guid Id { get; set; }
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit)
        : IQueryHandler<Query, Command?>, ICommandHandler<Command, FormResult<Guid>?>
    {
        public async ValueTask<Command?> Handle(Query query, CancellationToken ct)
        {
            var prompt = await db.Prompts.AsNoTracking().SingleOrDefaultAsync(p => p.Id == query.Id, ct);
            return prompt is null ? null : PromptForm.From<Command>(prompt);
        }

        public async ValueTask<FormResult<Guid>?> Handle(Command command, CancellationToken ct)
        {
            var prompt = await db.Prompts.SingleOrDefaultAsync(p => p.Id == command.Id, ct);
            if (prompt is null) return null;
            var name = command.Name.Trim();
            if (name != prompt.Name && await db.Prompts.AnyAsync(p => p.Name == name, ct))
                return FormResult<Guid>.Fail(nameof(PromptForm.Name), "A prompt with this name already exists.");
            command.ApplyTo(prompt);
            audit.Record("model_updated", AuditTrail.Model("authentik_stages_prompt", prompt.Name, prompt.Id, "prompt"));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(prompt.Id);
        }
    }
}
