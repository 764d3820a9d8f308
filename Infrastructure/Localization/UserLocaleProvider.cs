using Enrollment.Infrastructure.Identity;
using Microsoft.AspNetCore.Localization;

namespace Enrollment.Infrastructure.Localization;

/// <summary>
/// The signed-in user's <c>attributes.settings.locale</c> (authentik's place for it), read from the sign-in cookie's
/// claim (<see cref="ClaimsPrincipalExtensions.LocaleClaim"/>): no query per request.
/// </summary>
public sealed class UserLocaleProvider : RequestCultureProvider
{
    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
        Cultures.Answer(httpContext.User.Locale());
}
