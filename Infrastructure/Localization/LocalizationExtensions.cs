using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Enrollment.Domain;
using Enrollment.Infrastructure.Health;
using Enrollment.Infrastructure.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc.Localization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.WebEncoders;

namespace Enrollment.Infrastructure.Localization;

/// <summary>
/// Languages for what invitees and users see: .NET resources (<c>Resources/*.resx</c>, read through
/// <c>IStringLocalizer&lt;T&gt;</c>) and the language of each request, chosen in this order: <c>?locale=</c> (kept for
/// the rest of that flow), the signed-in user's <c>attributes.settings.locale</c>, the browser's
/// <c>Accept-Language</c>, the default brand's <c>default_locale</c>, else English. Languages outside
/// <see cref="Languages.Supported"/> are passed over; <c>de-AT</c> is German.
/// </summary>
public static class LocalizationExtensions
{
    public static IServiceCollection AddEnrollmentLocalization(this IServiceCollection services)
    {
        // What no request chose a language for (jobs, logs, the API, the admin console) formats as the invariant
        // culture, whatever the machine's locale: as the server always has.
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;

        services.AddLocalization();
        // "Passwörter", not "Passw&#xF6;rter": pages and emails carry their letters as text (markup characters stay encoded).
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        // IHtmlLocalizer for texts holding markup around their values (<strong>{0}</strong>): the values are encoded.
        // Registered alone: AddViewLocalization would also look for a view per language on every page.
        services.TryAddSingleton<IHtmlLocalizerFactory, HtmlLocalizerFactory>();
        services.TryAddTransient(typeof(IHtmlLocalizer<>), typeof(HtmlLocalizer<>));
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var supported = Languages.Supported.Select(CultureInfo.GetCultureInfo).ToList();
            o.DefaultRequestCulture = new RequestCulture(Languages.Supported[0]);
            o.SupportedCultures = supported;
            o.SupportedUICultures = supported;
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;
            o.ApplyCurrentCultureToResponseHeaders = true;
            o.RequestCultureProviders =
            [
                new QueryLocaleProvider(),
                new RememberedLocaleProvider(),
                new UserLocaleProvider(),
                new AcceptLanguageHeaderRequestCultureProvider { MaximumAcceptLanguageHeaderValuesToTry = 10 },
                new BrandLocaleProvider(),
            ];
        });
        return services;
    }

    /// <summary>
    /// Chooses the language of pages for people (not of the API, the health endpoints, the admin console or the first
    /// administrator's set-up page, which stay English). After authentication: the user's own language comes from the
    /// sign-in cookie.
    /// </summary>
    public static IApplicationBuilder UseEnrollmentLocalization(this IApplicationBuilder app) =>
        app.UseWhen(IsForPeople, pages => pages.UseRequestLocalization().Use(async (context, next) =>
        {
            if (context.Features.Get<IRequestCultureFeature>() is { Provider: QueryLocaleProvider } chosen)
                RememberedLocaleProvider.Remember(context, chosen.RequestCulture.UICulture.Name);
            await next(context);
        }));

    private static bool IsForPeople(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/api") && !context.Request.Path.StartsWithSegments("/if/admin")
        && !context.Request.Path.StartsWithSegments(InitialSetupLink.Path.TrimEnd('/')) && !context.Request.IsHealthRequest();
}
