using System.Diagnostics;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Enrollment.Pages;

/// <summary>Friendly page for unhandled errors and bare status codes; never shows a stack trace.</summary>
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class Error : PageModel
{
    public string Heading { get; private set; } = "Something went wrong";
    public string Message { get; private set; } = "The server could not complete the request. Please try again later.";
    public string? RequestId { get; private set; }

    public void OnGet(int? code) => Describe(code);
    public void OnPost(int? code) => Describe(code);

    private void Describe(int? code)
    {
        // A re-executed POST whose form cannot be read (a 400 for a NUL character) binds nothing at all: read the
        // code from the route, or that 400 would be shown as a 500.
        if (code is null && int.TryParse(RouteData.Values["code"]?.ToString(), out var routed)) code = routed;
        // The database is down or unreachable: not our fault, and it passes; say so (503), not "something went wrong".
        var databaseAway = code is null && DatabaseUnavailable.Is(HttpContext.Features.Get<IExceptionHandlerFeature>()?.Error);
        if (databaseAway) code = 503;
        if (code == 503) Response.Headers.RetryAfter = DatabaseUnavailable.RetryAfterSeconds.ToString();
        (Heading, Message) = code switch
        {
            400 => ("Bad request", "The request could not be understood. Go back, reload the page and try again."),
            403 => ("Access denied", "You do not have permission to see this page."),
            404 => ("Not found", "There is nothing at this address. It may have been deleted, or the link is mistyped."),
            405 => ("Not allowed", "This address does not accept that kind of request."),
            503 => ("Try again in a minute", databaseAway ? DatabaseUnavailable.Message : "The server cannot answer at the moment. Please try again in a minute."),
            null or >= 500 => (Heading, Message),
            _ => ("Request failed", $"The request failed with status {code}."),
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
