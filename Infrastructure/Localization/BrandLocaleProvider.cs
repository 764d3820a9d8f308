using Enrollment.Infrastructure.Web;
using Microsoft.AspNetCore.Localization;

namespace Enrollment.Infrastructure.Localization;

/// <summary>The default brand's <c>default_locale</c>: the language when nobody asked for one we have (read from the cached brand).</summary>
public sealed class BrandLocaleProvider : RequestCultureProvider
{
    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        var look = await httpContext.RequestServices.GetRequiredService<BrandTitle>().GetLookAsync();
        return new ProviderCultureResult(look.DefaultLocale);
    }
}
