using Enrollment.Domain;
using Enrollment.Features.Prompts.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Prompts.CreatePrompt;

public sealed class CreatePrompt(ISender sender) : PageModel
{
    [BindProperty] public Command Input { get; set; } = new();

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var result = await sender.Send(Input);
        if (!result.Succeeded)
        {
            ModelState.AddErrors(result.Errors);
            return Page();
        }
        TempData["Flash"] = $"Prompt “{Input.Name.Trim()}” created. Add it to a prompt stage to show it.";
        return Redirect("/if/admin/prompts/");
    }

    public sealed class Command : PromptForm, ICommand<FormResult<Guid>>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : ICommandHandler<Command, FormResult<Guid>>
    {
        public async ValueTask<FormResult<Guid>> Handle(Command command, CancellationToken ct)
        {
            var name = command.Name.Trim();
            if (await db.Prompts.AnyAsync(p => p.Name == name, ct))
                return FormResult<Guid>.Fail(nameof(PromptForm.Name), "A prompt with this name already exists.");
            var prompt = new Prompt { Name = "", FieldKey = "" };
            command.ApplyTo(prompt);
            db.Prompts.Add(prompt);
            audit.Record("model_created", AuditTrail.Model("authentik_stages_prompt", prompt.Name, prompt.Id, "prompt"));
            await db.SaveChangesAsync(ct);
            return FormResult<Guid>.Ok(prompt.Id);
        }
    }
}
