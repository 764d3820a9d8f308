using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Serialization;

namespace Enrollment.Features.Api.Shared;

/// <summary>
/// Reads an API request's JSON body as DRF does: malformed JSON (bytes that are not UTF-8 and escaped lone surrogates
/// included) is 400 <c>{"detail": "JSON parse error - …"}</c>, a body that is not an object is <c>non_field_errors</c>,
/// an empty body is <c>{}</c>, more than <see cref="MaxBodyChars"/> is 413.
/// </summary>
public static class ApiBody
{
    public const int MaxBodyChars = 1024 * 1024;

    /// <summary>UTF-8 that throws on bytes that are not UTF-8 instead of putting U+FFFD in their place.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The request body as a JSON object, or the answer DRF gives for a body that is not one.</summary>
    public static Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken ct) =>
        ReadObjectAsync(request, ct, MaxBodyChars);

    /// <param name="maxChars">The largest body read (a bulk list of recipients may be larger than one object).</param>
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken ct, int maxChars)
    {
        // DRF parses JSON only when the client says it is JSON; a form or text/plain body is 415, as authentik answers.
        var mediaType = request.ContentType is { } ct0 && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(ct0, out var parsed) ? parsed.MediaType.Value : null;
        if (mediaType is not null && !string.Equals(mediaType, "application/json", StringComparison.OrdinalIgnoreCase))
            return (null, Results.Json(new { detail = $"Unsupported media type \"{mediaType}\" in request." }, ApiJson.Options, statusCode: StatusCodes.Status415UnsupportedMediaType));
        // An invitation is small (fixed_data at most 64 KB); refuse to buffer more than MaxBodyChars.
        var buffer = new char[maxChars + 1];
        int length = 0, read;
        try
        {
            using var reader = new StreamReader(request.Body, StrictUtf8);
            while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += read;
        }
        catch (DecoderFallbackException)
        {
            return (null, ParseError("the body holds bytes that are not UTF-8."));
        }
        if (length > maxChars)
            return (null, Results.Json(new { detail = $"Request body too large (at most {maxChars / 1024 / 1024} MB)." }, ApiJson.Options, statusCode: StatusCodes.Status413PayloadTooLarge));
        var text = new string(buffer, 0, length);
        JsonNode? node;
        try
        {
            node = string.IsNullOrWhiteSpace(text)
                ? new JsonObject()
                : JsonNode.Parse(text, null, new JsonDocumentOptions { MaxDepth = StructuredText.MaxDepth, AllowDuplicateProperties = false });
            ReadEveryString(node);
        }
        catch (JsonException e)
        {
            return (null, ParseError(e.Message));
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json reads "\ud800" only when the string is used, and throws this, not a JsonException.
            return (null, ParseError("a \\u escape stands for half of a surrogate pair."));
        }
        if (node is not JsonObject body)
        {
            var got = node switch { JsonArray => "list", null => "null", _ => node.GetValueKind() == JsonValueKind.String ? "str" : "a single value" };
            return (null, Results.Json(new Dictionary<string, string[]> { ["non_field_errors"] = [$"Invalid data. Expected a dictionary, but got {got}."] },
                ApiJson.Options, statusCode: StatusCodes.Status400BadRequest));
        }
        return (body, null);
    }

    private static IResult ParseError(string message) =>
        Results.Json(new { detail = $"JSON parse error - {message}" }, ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);

    /// <summary>Reads every member name and string once, so text that is no string (a lone surrogate) fails here, not where a handler reads it.</summary>
    private static void ReadEveryString(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, value) in o) ReadEveryString(value);
                break;
            case JsonArray a:
                foreach (var item in a) ReadEveryString(item);
                break;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                v.GetValue<string>();
                break;
        }
    }
}
