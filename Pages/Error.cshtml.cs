using System.Diagnostics;
using Enrollment.Infrastructure.Web;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;
using System.Globalization;

namespace Enrollment.Pages;

/// <summary>Friendly page for unhandled errors and bare status codes; never shows a stack trace.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class Error(IStringLocalizer<PageTexts> t) : PageModel
{
    public string Heading { get; private set; } = "";
    public string Message { get; private set; } = "";
    public string? RequestId { get; private set; }

    public void OnGet(int? code) => Describe(code);
    public void OnPost(int? code) => Describe(code);

    /// <summary>The rate limiter's <c>Retry-After</c>, in words.</summary>
    private string RetryAfter() =>
        int.TryParse(Response.Headers.RetryAfter.ToString(), CultureInfo.InvariantCulture, out var s) && s > 0
            ? (s == 1 ? t["a second"] : s < 120 ? t["{0} seconds", s] : t["{0} minutes", (s + 59) / 60])
            : t["a minute"];

    private void Describe(int? code)
    {
        // A re-executed POST whose form cannot be read (a 400 for a NUL character) binds nothing at all: read the
        // code from the route, or that 400 would be shown as a 500.
        if (code is null && int.TryParse(RouteData.Values["code"]?.ToString(), out var routed)) code = routed;
        // The database is down or unreachable: not our fault, and it passes; say so (503), not "something went wrong".
        var databaseAway = code is null && DatabaseUnavailable.Is(HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error);
        if (databaseAway) code = 503;
        if (code == 503) Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        (string Heading, string Message) texts = code switch
        {
            400 => ("Bad request", "The request could not be understood. Go back, reload the page and try again."),
            403 => ("Access denied", "You do not have permission to see this page."),
            404 => ("Not found", "There is nothing at this address. It may have been deleted, or the link is mistyped."),
            405 => ("Not allowed", "This address does not accept that kind of request."),
            413 => ("Too large", "The request is larger than this page accepts. Nothing was saved."),
            414 => ("Address too long", "The address is longer than this server accepts."),
            415 => ("Not a form", "This address accepts only forms sent by a browser."),
            429 => ("Too many requests", "Too many attempts from your network in a short time. Wait {0} and try again."),
            503 => ("Try again in a minute", databaseAway ? DatabaseUnavailable.Message : "The server cannot answer at the moment. Please try again in a minute."),
            null or >= 500 => ("Something went wrong", "The server could not complete the request. Please try again later."),
            _ => ("Request failed", "The request failed with status {0}."),
        };
        Heading = t[texts.Heading];
        Message = code switch
        {
            429 => t[texts.Message, RetryAfter()],
            null or >= 500 => t[texts.Message],
            >= 400 and < 500 when HttpContext.Items[FormGuard.MessageKey] is string refused => refused, // what the form guard refused, in words
            400 or 403 or 404 or 405 or 413 or 414 or 415 => t[texts.Message],
            _ => t[texts.Message, code.Value],
        };
        if (code == 503)
        {
            Response.StatusCode = 503;
        }
        else if (code is null or >= 500)
        {
            RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
            Response.StatusCode = 500;
        }
        else
        {
            Response.StatusCode = code.Value;
        }
    }
}
