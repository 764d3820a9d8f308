using System.Security.Claims;

namespace Enrollment.Infrastructure.Identity;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's pk (cookie or API token), or null for anonymous visitors.</summary>
    public static int? UserId(this ClaimsPrincipal? principal) =>
        int.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
