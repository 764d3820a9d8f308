using System.ComponentModel.DataAnnotations;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Enrollment.Features.Account.Login;

/// <summary>Password sign-in; each POST takes a permit of <c>RateLimits:SignIn</c> from its client's address.</summary>
[EnableRateLimiting(RateLimitExtensions.SignIn)]
public sealed partial class Login(ISender sender) : PageModel
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
            ModelState.AddModelError("", error);
            return Page();
        }
        var target = Url.IsLocalUrl(Next) && !Next!.StartsWith("/\\") ? Next : result.IsSuperuser ? "/if/admin/" : "/if/user/";
        return LocalRedirect(target);
    }

    public sealed class Command : Mediator.ICommand<Result>
    {
        [Required(ErrorMessage = "Enter your username or email.")]
        public string Username { get; set; } = "";

        [Required(ErrorMessage = "Enter your password.")]
        public string Password { get; set; } = "";
    }

    public sealed record Result(string? Error, bool IsSuperuser);
}
