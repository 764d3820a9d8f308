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
/// The write endpoints of <c>/api/v3/stages/invitation/invitations/</c>: read the JSON body (malformed JSON is DRF's 400
/// <c>{"detail": "JSON parse error - …"}</c>, a body that is not an object its <c>non_field_errors</c>; an empty body
/// is <c>{}</c>), then send the Invitations slices' command — creating and deleting through the same ones as the admin
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
