using System.Net;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// Reads the form before antiforgery does (order 950: after the size-limit filters, before antiforgery at 1000),
/// so a form over the request limit answers 413 with the page's own message instead of a bare 400 or a 500.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public abstract class OversizeFormIs413Attribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    public int Order => 950;

    /// <summary>The page's heading, e.g. "File too large".</summary>
    protected abstract string Title { get; }

    /// <summary>What was too large and what the limit is; "Nothing was …" follows it.</summary>
    protected abstract string Message { get; }

    protected abstract string NothingDone { get; }

    public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
    {
        var request = context.HttpContext.Request;
        if (!HttpMethods.IsPost(request.Method) || !request.HasFormContentType) return;
        try
        {
            await request.ReadFormAsync(context.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is InvalidDataException or BadHttpRequestException)
        {
            context.Result = new ContentResult { StatusCode = StatusCodes.Status413PayloadTooLarge, ContentType = "text/html; charset=utf-8", Content = Html(request) };
        }
    }

    /// <summary>The 413 page: also what <see cref="FormGuard"/> answers for this page's oversize forms.</summary>
    public string Html(HttpRequest request)
    {
        var title = WebUtility.HtmlEncode(Title);
        return $"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title></head><body>"
            + $"<h1>{title}</h1><p role=\"alert\" class=\"error\">{WebUtility.HtmlEncode(Message)} {WebUtility.HtmlEncode(NothingDone)}</p>"
            + $"<p><a href=\"{WebUtility.HtmlEncode(request.Path + request.QueryString)}\">Back</a></p></body></html>";
    }
}
