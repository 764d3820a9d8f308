using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Serialization;
using Enrollment.Infrastructure.Web;
using Mediator;
using CreateInvitation = Enrollment.Features.Invitations.CreateInvitation.CreateInvitation;
using DeleteInvitation = Enrollment.Features.Invitations.DeleteInvitation.DeleteInvitation;
using UpdateInvitation = Enrollment.Features.Invitations.UpdateInvitation.UpdateInvitation;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// The write endpoints of <c>/api/v3/stages/invitation/invitations/</c>: read the JSON body (malformed JSON — bytes
/// that are not UTF-8 and escaped lone surrogates included — is DRF's 400 <c>{"detail": "JSON parse error - …"}</c>, a
/// body that is not an object its <c>non_field_errors</c>; an empty body is <c>{}</c>), then send the Invitations slices' command — creating and deleting through the same ones as the admin
/// pages — and answer with its result in authentik's shape: 201/200 with the invitation, 400 <c>{field: [messages]}</c>,
/// 404, or 204 for a delete. The creator is the token's user; creating records <c>invitation_created</c>, updating
/// <c>model_updated</c>, deleting <c>invitation_deleted</c>.
/// </summary>
public static class InvitationEndpoints
{
    public const int MaxBodyChars = 1024 * 1024;

    public static async Task<IResult> Create(HttpRequest request, ISender sender, CancellationToken ct)
    {
        var (body, error) = await ReadObjectAsync(request, ct);
        if (error is not null) return error;
        var result = await sender.Send(new CreateInvitation.Command(new InvitationInput(body!, partial: false)), ct);
        return result.Succeeded ? await SavedAsync(result.Value, created: true, sender, ct) : Invalid(result.Errors);
    }

    public static Task<IResult> Update(Guid pk, HttpRequest request, ISender sender, CancellationToken ct) => UpdateAsync(pk, request, sender, partial: false, ct);

    public static Task<IResult> PartialUpdate(Guid pk, HttpRequest request, ISender sender, CancellationToken ct) => UpdateAsync(pk, request, sender, partial: true, ct);

    /// <summary>204; 404 when there is no such invitation, also when the expiry job deleted it a moment before.</summary>
    public static async Task<IResult> Delete(Guid pk, ISender sender, CancellationToken ct) =>
        await sender.Send(new DeleteInvitation.Command(pk), ct) is null ? ApiResult<InvitationJson>.NotFound().ToHttp() : Results.NoContent();

    private static async Task<IResult> UpdateAsync(Guid pk, HttpRequest request, ISender sender, bool partial, CancellationToken ct)
    {
        var (body, error) = await ReadObjectAsync(request, ct);
        if (error is not null) return error;
        var result = await sender.Send(new UpdateInvitation.Command(pk, new InvitationInput(body!, partial)), ct);
        if (!result.Found) return ApiResult<InvitationJson>.NotFound().ToHttp();
        return result.Succeeded ? await SavedAsync(pk, created: false, sender, ct) : Invalid(result.Errors);
    }

    /// <summary>The invitation as saved, as the retrieve endpoint shows it.</summary>
    private static async Task<IResult> SavedAsync(Guid pk, bool created, ISender sender, CancellationToken ct)
    {
        var saved = await sender.Send(new RetrieveInvitation.Query(pk), ct);
        return saved.Value is { } json && created ? ApiResult<InvitationJson>.Created(json).ToHttp() : saved.ToHttp();
    }

    private static IResult Invalid(IEnumerable<FieldError> errors)
    {
        var body = new FieldErrors();
        foreach (var e in errors) body.Add(e.Field, e.Message);
        return ApiResult<InvitationJson>.Invalid(body).ToHttp();
    }

    /// <summary>UTF-8 that throws on bytes that are not UTF-8 instead of putting U+FFFD in their place.</summary>
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The request body as a JSON object, or the answer DRF gives for a body that is not one.</summary>
    internal static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        // An invitation is small (fixed_data at most 64 KB); refuse to buffer more than MaxBodyChars.
        var buffer = new char[MaxBodyChars + 1];
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
        if (length > MaxBodyChars)
            return (null, Results.Json(new { detail = "Request body too large (at most 1 MB)." }, ApiJson.Options, statusCode: StatusCodes.Status413PayloadTooLarge));
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
