using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Enrollment.Features.Invitations.BulkInvite;

/// <summary>What one bulk invitation accepts. The README's "Bulk invitations" section states the same numbers.</summary>
public static class BulkInviteLimits
{
    /// <summary>Recipients (data rows, the rejected ones included) in one run.</summary>
    public const int MaxRows = 50_000;

    /// <summary>The pasted text or the uploaded file, in bytes of UTF-8.</summary>
    public const int MaxInputBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The whole request: the input plus the other fields and the framing. A browser sends the textarea URL-encoded
    /// when there is no file to upload, which can triple its size, so the request may be larger than the input;
    /// the handler then holds the decoded text to <see cref="MaxInputBytes"/>.
    /// </summary>
    public const int MaxRequestBytes = 3 * MaxInputBytes + 1024 * 1024;

    /// <summary>One value (a cell, a name) of one recipient.</summary>
    public const int MaxValueLength = 1000;

    public const int MaxColumns = 50;
    public const int MaxColumnNameLength = 100;

    public static string TooLarge => $"The list is larger than {MaxInputBytes / 1024 / 1024} MB; split it into several runs of at most {MaxInputBytes / 1024 / 1024} MB and {MaxRows:N0} rows.";
    public static string TooManyRows => $"The list has more than {MaxRows:N0} rows; split it into several runs of at most {MaxRows:N0} rows.";
}

/// <summary>
/// Reads the form before antiforgery does (order 950: after authorization and the size-limit filters, before
/// antiforgery at 1000), so a request over <see cref="BulkInviteLimits.MaxRequestBytes"/> answers 413 with a
/// message instead of a bare 400 or a 500.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BulkInviteTooLargeIs413Attribute : Attribute, IAsyncAuthorizationFilter, IOrderedFilter
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
                .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>List too large</title></head><body>")
                .Append("<h1>List too large</h1><p role=\"alert\" class=\"error\">").Append(System.Net.WebUtility.HtmlEncode(BulkInviteLimits.TooLarge))
                .Append(" Nothing was created.</p><p><a href=\"").Append(System.Net.WebUtility.HtmlEncode(request.Path + request.QueryString))
                .Append("\">Back</a></p></body></html>");
            context.Result = new ContentResult { StatusCode = StatusCodes.Status413PayloadTooLarge, ContentType = "text/html; charset=utf-8", Content = html.ToString() };
        }
    }
}
