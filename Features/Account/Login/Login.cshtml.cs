using System.ComponentModel.DataAnnotations;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;

namespace Enrollment.Features.Account.Login;

/// <summary>Password sign-in; each POST takes a permit of <c>RateLimits:SignIn</c> from its client's address.</summary>
[EnableRateLimiting(RateLimitExtensions.SignIn)]
public sealed partial class Login(ISender sender, IStringLocalizer<PageTexts> t) : PageModel
{
    [BindProperty] public Command Input { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? Next { get; set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid) return Page();
        var result = await sender.Send(Input);
        if (result.Error is { } error)
        {
            ModelState.AddModelError("", t[error]); // the handler's English text, the key of its translations
            return Page();
        }
        return Redirect(LocalUrl.SafeOrNull(Next) ?? (result.IsSuperuser ? "/if/admin/" : "/if/user/"));
    }

    public sealed class Command : Mediator.ICommand<Result>
    {
        [Required(ErrorMessage = "Enter your username or email.")]
        [StringLength(Limits.Username, ErrorMessage = "Usernames and email addresses have at most 150 characters.")]
        public string Username { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        [StringLength(Limits.Password, ErrorMessage = "Passwords have at most 1,024 characters.")]
        public string Password { get; set; } = "";
    }

    public sealed record Result(string? Error, bool IsSuperuser);

    /// <summary>Longer input is no account's: it is refused before any lookup, hash or event.</summary>
    public static class Limits
    {
        public const int Username = 150;
        public const int Password = 1024;
    }
}
