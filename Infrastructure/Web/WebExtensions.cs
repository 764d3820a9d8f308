using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Health;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Localization;
using Enrollment.Resources;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.ApplicationModels;
using Microsoft.AspNetCore.Mvc.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Enrollment.Infrastructure.Web;

public static class WebExtensions
{
    public static IServiceCollection AddEnrollmentWeb(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<AuditTrail>();
        services.AddMemoryCache();
        services.AddScoped<BrandTitle>();
        services.AddSingleton<InitialSetupLink>();
        services.AddRazorPages(o =>
        {
            // Slices live under Features/ and Pages/; every page names its own absolute route.
            o.RootDirectory = "/";
            o.Conventions.Add(new AdminPagesRequireSuperuser());
        }).AddMvcOptions(o =>
        {
            // No page posts jQuery's "a[b]" names; their value providers throw on a name like "a[b" (a 500 for any form).
            o.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
            o.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
        }).AddDataAnnotationsLocalization(o =>
            // The sign-in form's messages are in PageTexts; other forms' messages are not, and stay as written.
            o.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(PageTexts)));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "RequestVerificationToken";
            o.Cookie.Name = "enrollment_csrf";
            // Secure whenever the request is HTTPS (also behind a TLS-terminating proxy, see ProxyExtensions).
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        services.AddProblemDetails();
        return services;
    }

    public static WebApplication UseEnrollmentWeb(this WebApplication app)
    {
        app.UseEnrollmentProxy();
        app.LogAllowedHosts();
        // The API answers in JSON; pages get a friendly HTML page for errors and bare status codes.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api => api.UseExceptionHandler(e => e.Run(async c =>
        {
            if (DatabaseUnavailable.Is(c.Features.Get<IExceptionHandlerFeature>()?.Error))
            {
                c.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                c.Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds.ToString();
                await c.Response.WriteAsJsonAsync(new { detail = DatabaseUnavailable.Message });
                return;
            }
            c.Response.StatusCode = StatusCodes.Status500InternalServerError;
            await c.Response.WriteAsJsonAsync(new { detail = "Internal server error." });
        })).UseStatusCodePages(async s =>
        {
            if (s.HttpContext.Response.HasStarted || s.HttpContext.Response.ContentLength > 0) return;
            await s.HttpContext.Response.WriteAsJsonAsync(new { detail = s.HttpContext.Response.StatusCode == 404 ? "Not found." : "Request failed." });
        }).Use(async (context, next) =>
        {
            // Pages have the form guard; the API's JSON bodies are checked by its endpoints, its query strings here.
            if (QueryCheck.Of(context.Request.QueryString.Value) is var (status, problem))
            {
                context.Response.StatusCode = status;
                await context.Response.WriteAsJsonAsync(new { detail = $"The query string {problem}." });
                return;
            }
            await next(context);
        }));
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api") && !c.Request.IsHealthRequest(), pages => pages
            .UseExceptionHandler("/error/")
            .UseStatusCodePagesWithReExecute("/error/{0}/"));
        app.Use(async (context, next) =>
        {
            var h = context.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "same-origin";
            h.ContentSecurityPolicy = Csp("");
            // A page may show the brand's logo, favicon and background from another host: those origins, and only
            // those, are added for HTML (read from the cached brand when the page starts, never for the API or health).
            context.Response.OnStarting(async () =>
            {
                if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) != true) return;
                var origins = (await context.RequestServices.GetRequiredService<BrandTitle>().GetLookAsync()).ImageSources;
                if (origins.Length > 0) context.Response.Headers.ContentSecurityPolicy = Csp(origins);
            });
            await next();
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter(); // after routing (limits are named by the endpoint), before the work of signing in
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseEnrollmentLocalization(); // after authentication (the user's language), before the form guard words a refusal
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api") && !c.Request.IsHealthRequest(), pages => pages.UseMiddleware<FormGuard>());
        app.MapRazorPages();
        return app;
    }

    private static string Csp(string imageOrigins) =>
        $"default-src 'self'; img-src 'self' data:{imageOrigins}; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>Nothing under <c>/if/admin</c> can be reached without superuser rights, whatever a page declares.</summary>
    private sealed class AdminPagesRequireSuperuser : IPageApplicationModelConvention
    {
        public void Apply(PageApplicationModel model)
        {
            var isAdmin = model.ActionDescriptor.AttributeRouteInfo?.Template?.StartsWith("if/admin", StringComparison.OrdinalIgnoreCase) == true;
            if (isAdmin) model.Filters.Add(new AuthorizeFilter(IdentityExtensions.SuperuserPolicy));
        }
    }
}
