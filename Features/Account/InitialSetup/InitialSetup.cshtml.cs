using System.ComponentModel.DataAnnotations;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Enrollment.Features.Account.InitialSetup;

/// <summary>The first administrator's password, through the logged link; every request checks the token, so each takes a permit.</summary>
[EnableRateLimiting(RateLimitExtensions.InitialSetup)]
public sealed class InitialSetup(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Token { get; set; }
    [BindProperty] public Command Input { get; set; } = new();
    public bool Available { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Available = await sender.Send(new Query(Token));
        return Available ? Page() : NotFoundPage();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        Input.Token = Token;
        Available = await sender.Send(new Query(Token));
        if (!Available) return NotFoundPage();
        if (!ModelState.IsValid) return Page();
        var errors = await sender.Send(Input);
        foreach (var (field, message) in errors) ModelState.AddModelError(field, message);
        if (errors.Count > 0) return Page();
        TempData["Flash"] = "The administrator account is ready. Sign in as akadmin.";
        return LocalRedirect("/if/login/?next=%2Fif%2Fadmin%2F");
    }

    private PageResult NotFoundPage()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }

    /// <summary>True while no administrator exists and the token is the one this server logged, before the link expires.</summary>
    public sealed record Query(string? Token) : IQuery<bool>;

    public sealed class Command : ICommand<IReadOnlyList<(string Field, string Message)>>
    {
        [Required(ErrorMessage = "Enter an email address.")]
        [EmailAddress(ErrorMessage = "Enter a valid email address.")]
        public string Email { get; set; } = "";

        [Required(ErrorMessage = "Choose a password.")]
        public string Password { get; set; } = "";

        [Required(ErrorMessage = "Repeat the password.")]
        [Compare(nameof(Password), ErrorMessage = "Passwords don't match.")]
        public string PasswordRepeat { get; set; } = "";

        internal string? Token { get; set; }
    }
}
