using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Serialization;
using Mediator;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// The write endpoints: read the JSON body (malformed JSON is DRF's 400 <c>{"detail": "JSON parse error - …"}</c>,
/// a body that is not an object its <c>non_field_errors</c>), then send the command. An empty body is <c>{}</c>.
/// </summary>
public static class InvitationEndpoints
{
    public const int MaxBodyChars = 1024 * 1024;

    public static Task<IResult> Create(HttpRequest request, ISender sender, CancellationToken ct) => Save(request, sender, null, partial: false, ct);

    public static Task<IResult> Update(Guid pk, HttpRequest request, ISender sender, CancellationToken ct) => Save(request, sender, pk, partial: false, ct);

    public static Task<IResult> PartialUpdate(Guid pk, HttpRequest request, ISender sender, CancellationToken ct) => Save(request, sender, pk, partial: true, ct);

    public static async Task<IResult> Delete(Guid pk, ISender sender, CancellationToken ct)
    {
        var result = await sender.Send(new DeleteInvitation.Command(pk), ct);
        return result.Status == StatusCodes.Status204NoContent ? Results.NoContent() : result.ToHttp();
    }

    private static async Task<IResult> Save(HttpRequest request, ISender sender, Guid? pk, bool partial, CancellationToken ct)
    {
        var (body, error) = await ReadObjectAsync(request, ct);
        if (error is not null) return error;
        return (await sender.Send(new SaveInvitation.Command(pk, body!, partial), ct)).ToHttp();
    }

    /// <summary>The request body as a JSON object, or the answer DRF gives for a body that is not one.</summary>
    internal static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        // An invitation is small (fixed_data at most 64 KB); refuse to buffer more than MaxBodyChars.
        var buffer = new char[MaxBodyChars + 1];
        int length = 0, read;
        using (var reader = new StreamReader(request.Body))
            while (length < buffer.Length && (read = await reader.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += read;
        if (length > MaxBodyChars)
            return (null, Results.Json(new { detail = "Request body too large (at most 1 MB)." }, ApiJson.Options, statusCode: StatusCodes.Status413PayloadTooLarge));
        var text = new string(buffer, 0, length);
        JsonNode? node;
        try
        {
            node = string.IsNullOrWhiteSpace(text)
                ? new JsonObject()
                : JsonNode.Parse(text, null, new JsonDocumentOptions { MaxDepth = StructuredText.MaxDepth, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            return (null, Results.Json(new { detail = $"JSON parse error - {e.Message}" }, ApiJson.Options, statusCode: StatusCodes.Status400BadRequest));
        }
        if (node is not JsonObject body)
        {
            var got = node switch { JsonArray => "list", null => "null", _ => node.GetValueKind() == JsonValueKind.String ? "str" : "a single value" };
            return (null, Results.Json(new Dictionary<string, string[]> { ["non_field_errors"] = [$"Invalid data. Expected a dictionary, but got {got}."] },
                ApiJson.Options, statusCode: StatusCodes.Status400BadRequest));
        }
        return (body, null);
    }
}
