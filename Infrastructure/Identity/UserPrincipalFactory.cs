using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// The signed-in principal from the user row alone: id, username, email and security stamp, as Identity's own
/// factory makes it, plus the user's language (<c>attributes.settings.locale</c>), so pages need no query to find it. Enrollment keeps no per-user claims (Identity's <c>user_claims</c> table is never written),
/// so the query for them that Identity's factory runs on every sign-in is left out.
/// </summary>
internal sealed class UserPrincipalFactory(UserManager<User> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<User>(users, options)
{
    protected override Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var types = Options.ClaimsIdentity;
        var identity = new ClaimsIdentity("Identity.Application", types.UserNameClaimType, types.RoleClaimType);
        identity.AddClaim(new Claim(types.UserIdClaimType, user.Id.ToString(CultureInfo.InvariantCulture)));
        identity.AddClaim(new Claim(types.UserNameClaimType, user.UserName ?? ""));
        if (user.Email is { } email) identity.AddClaim(new Claim(types.EmailClaimType, email));
        if (user.SecurityStamp is { } stamp) identity.AddClaim(new Claim(types.SecurityStampClaimType, stamp));
        if (user.Attributes["settings"] is JsonObject settings && settings["locale"] is JsonValue locale && locale.TryGetValue<string>(out var language)
            && language.Length is > 0 and <= 35)
            identity.AddClaim(new Claim(ClaimsPrincipalExtensions.LocaleClaim, language));
        return Task.FromResult(identity);
    }
}
