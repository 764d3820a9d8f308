using System.ComponentModel.DataAnnotations;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Enrollment.Features.FlowExecution.RunFlowStep;

/// <summary>
/// The flow interface, <c>/if/flow/&lt;slug&gt;/</c>. Without JavaScript every stage is a plain form and a valid
/// POST redirects to the GET of the next stage; with htmx the form swaps only <c>#flow-card</c>.
/// Every POST takes a permit of <c>RateLimits:Flow</c> from its client, links a permit of <c>RateLimits:EmailLink</c>.
/// </summary>
[EnableRateLimiting(RateLimitExtensions.Flow)]
[FlowLinkRateLimit]
public sealed partial class RunFlowStep(ISender sender) : PageModel
{
    // Kept as sent: model binding would make a slug of only whitespace (/if/flow/%20/) null, and nothing asks for a null flow.
    [FromRoute, DisplayFormat(ConvertEmptyStringToNull = false)] public string Slug { get; set; } = "";
    public StepResult Result { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync() => Respond(await sender.Send(new ShowStep(Slug, Request.Query)));

    public async Task<IActionResult> OnPostAsync()
    {
        var form = await Request.ReadFormAsync();
        var binding = Guid.TryParse(form["stage"], out var b) ? b : (Guid?)null;
        return Respond(await sender.Send(new SubmitStep(Slug, binding, form)));
    }

    private IActionResult Respond(StepResult result)
    {
        Result = result;
        // What antiforgery sets on every page with a form anyway; set up front, so antiforgery logs no warning per page.
        Response.Headers.CacheControl = "no-cache, no-store";
        if (result is StepResult.Redirect { Flash: { } flash }) TempData["Flash"] = flash;
        switch (result)
        {
            case StepResult.NotFound:
                return NotFound();
            case StepResult.Redirect r when Request.IsHtmx() && (r.Navigate || !r.Url.StartsWith($"/if/flow/{Slug}/", StringComparison.Ordinal)):
                // Leaving the flow: the whole page changes, so htmx navigates instead of swapping the card.
                Response.Headers["HX-Redirect"] = r.Url;
                return new OkResult();
            case StepResult.Redirect r:
                return new RedirectResult(r.Url) { PreserveMethod = false };
            case StepResult.Denied { Status: not StatusCodes.Status200OK } denied when !Request.IsHtmx():
                // htmx 2 swaps no 4xx, so an htmx request gets the message with a 200.
                var page = Page();
                page.StatusCode = denied.Status;
                return page;
            default:
                return Page();
        }
    }
}
