using System.Security.Claims;

namespace Enrollment.Infrastructure.Identity;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The claim holding the user's <c>attributes.settings.locale</c> as of sign-in (<see cref="UserPrincipalFactory"/>).</summary>
    public const string LocaleClaim = "locale";

    /// <summary>The language the signed-in user chose (<c>attributes.settings.locale</c>), as written there; null when none.</summary>
    public static string? Locale(this ClaimsPrincipal? principal) => principal?.FindFirstValue(LocaleClaim);

    /// <summary>The signed-in user's pk (cookie or API token), or null for anonymous visitors.</summary>
    public static int? UserId(this ClaimsPrincipal? principal) =>
        int.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
