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

    internal static Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken ct) => ApiBody.ReadObjectAsync(request, ct);
}
