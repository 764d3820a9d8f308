using System.Buffers.Text;
using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Tokens.CreateToken;

public sealed class CreateToken(ISender sender) : PageModel
{
    [BindProperty] public Command Input { get; set; } = new();
    public Created? Result { get; private set; }

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
        // The key exists only in this response (no redirect: it must not travel in a URL or a cookie), so no cache may keep it.
        Response.Headers.CacheControl = "no-store";
        Result = result.Value;
        return Page();
    }

    public sealed record Created(string Identifier, string Key);

    public sealed class Command : ICommand<FormResult<Created>>
    {
        [Required(ErrorMessage = "Enter an identifier.")]
        [StringLength(200)]
        [Slug]
        public string Identifier { get; set; } = "";

        [Required(ErrorMessage = "Enter the username the token acts as.")]
        public string Username { get; set; } = "";

        [StringLength(500)]
        public string? Description { get; set; }

        public bool Expiring { get; set; } = true;

        /// <summary>From a datetime-local input, read as UTC.</summary>
        public DateTime? Expires { get; set; }
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit, TimeProvider clock) : ICommandHandler<Command, FormResult<Created>>
    {
        public async ValueTask<FormResult<Created>> Handle(Command command, CancellationToken ct)
        {
            var errors = new List<FieldError>();
            var identifier = command.Identifier.Trim();
            if (await db.Tokens.AnyAsync(t => t.Identifier == identifier, ct))
                errors.Add(new(nameof(Command.Identifier), "A token with this identifier already exists."));
            var username = command.Username.Trim();
            var userId = await db.Users.Where(u => u.UserName == username).Select(u => (int?)u.Id).SingleOrDefaultAsync(ct);
            if (userId is null) errors.Add(new(nameof(Command.Username), $"There is no user named “{username}”."));
            var expires = command.Expires is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : (DateTime?)null;
            if (command.Expiring && expires is null) errors.Add(new(nameof(Command.Expires), "Enter when the token expires, or untick “Expiring”."));
            else if (command.Expiring && expires <= clock.GetUtcNow().UtcDateTime) errors.Add(new(nameof(Command.Expires), "Choose a time in the future."));
            if (errors.Count > 0) return FormResult<Created>.Fail(errors);

            var key = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
            var token = new Token
            {
                Identifier = identifier, KeyHash = ApiTokenAuthenticationHandler.Digest(key), UserId = userId!.Value, Intent = TokenIntent.Api,
                Expiring = command.Expiring, Expires = command.Expiring ? expires : null, Description = command.Description?.Trim() ?? "",
            };
            db.Tokens.Add(token);
            audit.Record("model_created", AuditTrail.Model("authentik_core", token.Identifier, token.Id, "token"));
            await db.SaveChangesAsync(ct);
            return FormResult<Created>.Ok(new Created(identifier, key));
        }
    }
}
