using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.WebUtilities;

namespace Enrollment.Infrastructure.Localization;

/// <summary>
/// <c>?locale=de</c> (authentik's parameter): the language asked for in the address, when it is one we have. The
/// error page shown for a request reads the request's own address.
/// </summary>
public sealed class QueryLocaleProvider : RequestCultureProvider
{
    public const string Key = "locale";

    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var asked = httpContext.Request.Query[Key].ToString();
        if (asked.Length == 0 && httpContext.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalQueryString is { Length: > 0 } original
            && QueryHelpers.ParseQuery(original).TryGetValue(Key, out var again))
            asked = again.ToString();
        return Cultures.Answer(asked);
    }
}
