using System.IO.Pipelines;
using System.Text;
using System.Text.Unicode;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// Reads every page's form before the page, antiforgery or model binding do, within bounds, so bad bytes get a 4xx
/// with a short message (the friendly error page) instead of a 500 from deep inside a handler: a body that is no form
/// (415), a form over 1 MB or with more than 1,024 fields (413), invalid UTF-8 or a NUL character in a value or in the
/// query string (400), a query string over 8 KB (414). A page that takes more (the bulk invitation, the blueprint
/// upload) says so with <c>[RequestSizeLimit]</c> and <c>[RequestFormLimits]</c>, and its
/// <see cref="OversizeFormIs413Attribute"/> words the 413.
/// </summary>
public sealed class FormGuard(RequestDelegate next)
{
    public const long MaxFormBytes = 1024 * 1024;
    public const int MaxFields = 1024;
    /// <summary>Kestrel's own limit for the request line, applied to the query string wherever the request came from.</summary>
    public const int MaxQueryLength = QueryCheck.MaxLength;

    /// <summary>The <see cref="HttpContext.Items"/> key of the message the error page shows for a refused request.</summary>
    public const string MessageKey = "Enrollment.FormGuard.Message";

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.Features.Get<IExceptionHandlerFeature>() is not null)
        {
            // The error page, re-executed for a refused or failed request: its body is spent, it binds nothing.
            if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) context.Features.Set<IFormFeature>(new FormFeature(FormCollection.Empty));
            await next(context);
            return;
        }
        if (QueryCheck.Of(request.QueryString.Value) is var (status, problem))
        {
            Refuse(context, status, $"The address {problem}."); // each of QueryCheck's few sentences is a text of its own
            return;
        }
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method))
        {
            await next(context);
            return;
        }
        if (!request.HasFormContentType)
        {
            if (request.ContentLength is null or 0 && !request.Headers.ContainsKey(HeaderNames.TransferEncoding))
            {
                // No body at all (a bare POST): an empty form, which antiforgery then refuses like any form without a token.
                context.Features.Set<IFormFeature>(new FormFeature(FormCollection.Empty));
                await next(context);
                return;
            }
            Refuse(context, StatusCodes.Status415UnsupportedMediaType, "This address accepts only forms (application/x-www-form-urlencoded or multipart/form-data).");
            return;
        }

        var endpoint = context.GetEndpoint();
        var maxBytes = endpoint?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? MaxFormBytes;
        var options = Options(endpoint?.Metadata.GetMetadata<IFormOptionsMetadata>(), maxBytes);
        if (request.ContentLength > maxBytes)
        {
            await TooLargeAsync(context, endpoint);
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = maxBytes;
        // Kestrel enforces the feature; counting here too bounds hosts without it (the test server) and chunked bodies.
        request.Body = new BoundedStream(request.Body, maxBytes);

        try
        {
            var form = IsUrlEncoded(request) ? await ReadUrlEncodedAsync(request, options, context.RequestAborted) : await ReadMultipartAsync(request, options, context.RequestAborted);
            if (form is null)
            {
                Refuse(context, StatusCodes.Status400BadRequest, "The form holds text that is not valid UTF-8.");
                return;
            }
            if (HasNul(form))
            {
                Refuse(context, StatusCodes.Status400BadRequest, "The form holds characters no field accepts (a NUL character).");
                return;
            }
            context.Features.Set<IFormFeature>(new FormFeature(form));
        }
        catch (Exception e) when (e is InvalidDataException { Message: var m } && m.Contains("limit", StringComparison.OrdinalIgnoreCase)
                                   || e is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            await TooLargeAsync(context, endpoint);
            return;
        }
        catch (InvalidDataException)
        {
            // ASP.NET Core's parser refuses some characters itself (a NUL in a key or value, for one).
            Refuse(context, StatusCodes.Status400BadRequest, "The form holds characters no field accepts.");
            return;
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or OperationCanceledException)
        {
            Refuse(context, StatusCodes.Status400BadRequest, "The form could not be read completely.");
            return;
        }
        await next(context);
    }

    private static bool IsUrlEncoded(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// ASP.NET Core's own form parser, after checking that the bytes the percent-escapes stand for are UTF-8 (the
    /// parser would keep <c>%E9</c> as those three characters, or put U+FFFD for raw invalid bytes; either way the
    /// garbage would be stored). Null when they are not.
    /// </summary>
    private static async Task<IFormCollection?> ReadUrlEncodedAsync(HttpRequest request, FormOptions options, CancellationToken ct)
    {
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body, ct); // bounded: the body stream counts
        if (!IsUtf8OnceDecoded(body.GetBuffer().AsSpan(0, (int)body.Length))) return null;
        body.Position = 0;
        var reader = new FormPipeReader(PipeReader.Create(body), Encoding.UTF8)
        {
            ValueCountLimit = options.ValueCountLimit,
            KeyLengthLimit = options.KeyLengthLimit,
            ValueLengthLimit = options.ValueLengthLimit,
        };
        return new FormCollection(await reader.ReadFormAsync(ct));
    }

    /// <summary>Whether the bytes, with every <c>%XX</c> replaced by the byte it escapes, are valid UTF-8.</summary>
    private static bool IsUtf8OnceDecoded(ReadOnlySpan<byte> encoded) => Utf8.IsValid(QueryCheck.OnceDecoded(encoded));

    /// <summary>
    /// Multipart goes through ASP.NET Core's reader (files included), then every value is checked again on its raw
    /// bytes: refused (null) when they are not UTF-8. The reader's decoder would put U+FFFD for invalid bytes, read a
    /// value starting with <c>FE FF</c> or <c>FF FE</c> as UTF-16 (it honours byte order marks) and a part that names
    /// another charset in that charset — each time storing what the sender never typed. A U+FFFD the sender really
    /// typed is valid UTF-8 and kept.
    /// </summary>
    private static async Task<IFormCollection?> ReadMultipartAsync(HttpRequest request, FormOptions options, CancellationToken ct)
    {
        request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: options.MultipartBodyLengthLimit);
        var form = await new FormFeature(request, options).ReadFormAsync(ct);

        request.Body.Position = 0;
        var boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value!;
        var reader = new MultipartReader(boundary, request.Body) { BodyLengthLimit = options.MultipartBodyLengthLimit };
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.IsFileDisposition()) continue;
            using var bytes = new MemoryStream();
            await section.Body.CopyToAsync(bytes, ct);
            if (!Utf8.IsValid(bytes.GetBuffer().AsSpan(0, (int)bytes.Length))) return null;
        }
        return form;
    }

    private static bool HasNul(IFormCollection form) =>
        form.Any(f => f.Key.Contains('\0') || f.Value.Any(v => v?.Contains('\0') == true));

    /// <summary>The form limits: the endpoint's own where it declares them, else the defaults above.</summary>
    private static FormOptions Options(IFormOptionsMetadata? own, long maxBytes) => new()
    {
        ValueCountLimit = own?.ValueCountLimit ?? MaxFields,
        KeyLengthLimit = own?.KeyLengthLimit ?? 2048,
        ValueLengthLimit = own?.ValueLengthLimit ?? (int)Math.Min(maxBytes, int.MaxValue),
        MultipartBodyLengthLimit = own?.MultipartBodyLengthLimit ?? maxBytes,
        MultipartHeadersCountLimit = own?.MultipartHeadersCountLimit ?? 16,
        MultipartHeadersLengthLimit = own?.MultipartHeadersLengthLimit ?? 16 * 1024,
        MultipartBoundaryLengthLimit = own?.MultipartBoundaryLengthLimit ?? 128,
        BufferBodyLengthLimit = Math.Max(maxBytes, own?.BufferBodyLengthLimit ?? 0),
        MemoryBufferThreshold = own?.MemoryBufferThreshold ?? 64 * 1024,
    };

    private static async Task TooLargeAsync(HttpContext context, Endpoint? endpoint)
    {
        // A page that takes big uploads words its own 413 (what its limit is, what was not done).
        if (endpoint?.Metadata.GetMetadata<OversizeFormIs413Attribute>() is { } own)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(own.Html(context.Request));
            return;
        }
        Refuse(context, StatusCodes.Status413PayloadTooLarge, "The form is larger than {0} MB or has more than {1:N0} fields. Nothing was saved.", MaxFormBytes / 1024 / 1024, MaxFields);
    }

    /// <summary>
    /// An empty answer with the status: the error page (status-code re-execution) shows it with the message, in the
    /// request's language (<paramref name="message"/> is the English text, the key of its translations).
    /// </summary>
    private static void Refuse(HttpContext context, int status, string message, params object[] values)
    {
        context.Items[MessageKey] = context.RequestServices.GetRequiredService<IStringLocalizer<PageTexts>>()[message, values].Value;
        context.Response.StatusCode = status;
    }

    /// <summary>Counts the bytes read and fails with 413 past the limit.</summary>
    private sealed class BoundedStream(Stream inner, long limit) : Stream
    {
        private long read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => Count(await inner.ReadAsync(buffer, ct));
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();

        private int Count(int n)
        {
            read += n;
            if (read > limit) throw new BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
            return n;
        }
    }
}
