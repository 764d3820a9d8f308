using Enrollment.Infrastructure.Identity;
using System.Security.Claims;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Users.SetUserActive;

/// <summary>Serves both <c>…/activate/</c> and <c>…/deactivate/</c>: the same confirmation and the same command.</summary>
public sealed class SetUserActive(ISender sender) : PageModel
{
    [FromRoute] public int Id { get; set; }
    [FromRoute] public string Change { get; set; } = "";
    public bool Activate => Change == "activate";
    public string? UserName { get; private set; }
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        UserName = await sender.Send(new Query(Id));
        if (UserName is null) return NotFound();
        if (!Activate && Id == (User.UserId() ?? 0)) Refusal = SelfRefusal;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var result = await sender.Send(new Command(Id, Activate, (User.UserId() ?? 0)));
        if (result is null) return NotFound();
        if (!result.Succeeded)
        {
            UserName = await sender.Send(new Query(Id));
            Refusal = result.Errors[0].Message;
            return Page();
        }
        TempData["Flash"] = Activate ? $"{result.Value} is active again." : $"{result.Value} is deactivated and can no longer sign in.";
        return Redirect($"/if/admin/users/{Id}/");
    }

    internal const string SelfRefusal = "You cannot deactivate your own account; ask another administrator.";


    public sealed record Query(int Id) : IQuery<string?>;
    public sealed record Command(int Id, bool Active, int ActorId) : ICommand<FormResult<string>?>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : IQueryHandler<Query, string?>, ICommandHandler<Command, FormResult<string>?>
    {
        public async ValueTask<string?> Handle(Query query, CancellationToken ct) =>
            await db.Users.AsNoTracking().Where(u => u.Id == query.Id).Select(u => u.UserName).SingleOrDefaultAsync(ct);

        public async ValueTask<FormResult<string>?> Handle(Command command, CancellationToken ct)
        {
            var user = await db.Users.SingleOrDefaultAsync(u => u.Id == command.Id, ct);
            if (user is null) return null;
            if (!command.Active && user.Id == command.ActorId) return FormResult<string>.Fail("", SelfRefusal);
            if (user.IsActive != command.Active)
            {
                user.IsActive = command.Active;
                // A new stamp invalidates the user's existing sign-in cookies at their next validation.
                user.SecurityStamp = Guid.NewGuid().ToString();
                audit.Record("model_updated", AuditTrail.Model("authentik_core", user.UserName!, user.Id, "user"));
                await db.SaveChangesAsync(ct);
            }
            return FormResult<string>.Ok(user.UserName!);
        }
    }
}
