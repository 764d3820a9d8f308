using Microsoft.AspNetCore.Localization;

namespace Enrollment.Infrastructure.Localization;

/// <summary>
/// The <c>?locale=</c> a flow was opened with, kept in a cookie that only that flow's address receives: the flow's
/// own redirects and forms (which drop the query) stay in that language; other pages do not inherit it.
/// </summary>
public sealed class RememberedLocaleProvider : RequestCultureProvider
{
    public const string CookieName = "enrollment_locale";

    private const string FlowPrefix = "/if/flow/";

    public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext) =>
        Cultures.Answer(httpContext.Request.Cookies[CookieName]);

    /// <summary><c>/if/flow/&lt;slug&gt;/</c> of a flow page's address (slugs as authentik allows them), or null for other pages.</summary>
    public static string? FlowPath(PathString path)
    {
        if (path.Value is not { } p || !p.StartsWith(FlowPrefix, StringComparison.Ordinal)) return null;
        var end = p.IndexOf('/', FlowPrefix.Length);
        if (end <= FlowPrefix.Length) return null;
        var slug = p.AsSpan(FlowPrefix.Length, end - FlowPrefix.Length);
        foreach (var c in slug)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_')) return null;
        return p[..(end + 1)];
    }

    /// <summary>After <see cref="QueryLocaleProvider"/> chose the language of a flow page: remember it for that flow.</summary>
    public static void Remember(HttpContext context, string language)
    {
        if (FlowPath(context.Request.Path) is not { } path || context.Request.Cookies[CookieName] == language) return;
        context.Response.Cookies.Append(CookieName, language, new CookieOptions
        {
            Path = path, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps, IsEssential = true,
        });
    }
}
