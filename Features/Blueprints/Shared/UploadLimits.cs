using System.Text;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc;

namespace Enrollment.Features.Blueprints.Shared;

public static class UploadLimits
{
    /// <summary>The largest blueprint file accepted (authentik's are a few KB; the engine bounds expansion on top).</summary>
    public const long MaxFileBytes = 5 * 1024 * 1024;

    /// <summary>The largest request: the file plus room for the context and the multipart framing.</summary>
    public const long MaxRequestBytes = MaxFileBytes + 1024 * 1024;

    public static string TooLarge => $"The file is larger than {MaxFileBytes / 1024 / 1024} MB; blueprints can be at most {MaxFileBytes / 1024 / 1024} MB.";
}

/// <summary>
/// Reads the form before antiforgery does (order 950: after the size-limit filters, before antiforgery at 1000),
/// so an upload over the request limit answers 413 with a message instead of a bare 400 or a 500.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class OversizeUploadIs413Attribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
{
    public int Order => 950;

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
            var html = new StringBuilder()
                .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>File too large</title></head><body>")
                .Append("<h1>File too large</h1><p role=\"alert\" class=\"error\">").Append(UploadLimits.TooLarge)
                .Append(" Nothing was changed.</p><p><a href=\"").Append(System.Net.WebUtility.HtmlEncode(request.Path + request.QueryString))
                .Append("\">Back</a></p></body></html>");
            context.Result = new ContentResult { StatusCode = StatusCodes.Status413PayloadTooLarge, ContentType = "text/html; charset=utf-8", Content = html.ToString() };
        }
    }
}
