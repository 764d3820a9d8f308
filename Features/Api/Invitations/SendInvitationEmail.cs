using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Invitations.QueueInvitationEmails;
using Enrollment.Infrastructure.Email;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;
using Mediator;
using static Enrollment.Features.Invitations.QueueInvitationEmails.QueueInvitationEmails;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// <c>POST /api/v3/stages/invitation/invitations/{pk}/send_email/</c> with
/// <c>{"email_addresses": [...], "cc_addresses": [...], "bcc_addresses": [...], "template": "email/invitation.html"}</c>,
/// answered as authentik answers: 404 for an unknown invitation (before the body is read, as DRF's
/// <c>get_object</c> comes first), 400 <c>{field: [messages]}</c> for a body that does not fit, 400
/// <c>{"error": "No email addresses provided"}</c> or <c>{"error": "Invitation has no associated flow"}</c>, and 204
/// once one email per address is queued (<see cref="QueueInvitationEmails"/>, as the admin page does). The emails are
/// sent in the name of the token's user.
/// </summary>
public static class SendInvitationEmail
{
    public static async Task<IResult> Handle(Guid pk, HttpRequest request, ISender sender, IConfiguration configuration, EmailTemplates templates, CancellationToken ct)
    {
        var found = await sender.Send(new RetrieveInvitation.Query(pk), ct);
        if (found.Status == StatusCodes.Status404NotFound) return found.ToHttp();

        var (body, error) = await InvitationEndpoints.ReadObjectAsync(request, ct);
        if (error is not null) return error;

        var errors = new FieldErrors();
        var to = List(body!, "email_addresses", required: true, errors);
        var cc = List(body!, "cc_addresses", required: false, errors);
        var bcc = List(body!, "bcc_addresses", required: false, errors);
        string? template = null;
        if (body!.TryGetPropertyValue("template", out var node))
        {
            if (node is null) errors.Add("template", "This field may not be null.");
            else if (node.GetValueKind() != JsonValueKind.String) errors.Add("template", "Not a valid string.");
            else if (node.GetValue<string>().Trim().Length == 0) errors.Add("template", "This field may not be blank.");
            else template = node.GetValue<string>();
        }
        int? remindAfter = null;
        if (body.TryGetPropertyValue("remind_after_days", out var remind) && remind is not null)
        {
            if (remind.GetValueKind() == JsonValueKind.Number && remind.AsValue().TryGetValue<int>(out var days)) remindAfter = days;
            else errors.Add("remind_after_days", "A valid integer is required.");
            if (remindAfter is not null && RemindAfterProblem(remindAfter) is { } problem) errors.Add("remind_after_days", problem);
        }
        if (errors.Any)
        {
            // As DRF's serializer, every field's problems at once: the addresses that were strings are checked too.
            foreach (var e in QueueInvitationEmails.Validate(to, cc, bcc, template, templates).Errors) errors.Add(FieldName(e.Field), e.Message);
            return ApiResult<object>.Invalid(errors).ToHttp();
        }

        var result = await sender.Send(new Command(pk, to, cc, bcc, template,
            LinkOrigin.Of(configuration, request), request.HttpContext.User.UserId(), remindAfter), ct);
        if (!result.Found) return ApiResult<object>.NotFound().ToHttp();
        foreach (var e in result.Errors) errors.Add(FieldName(e.Field), e.Message);
        if (errors.Any) return ApiResult<object>.Invalid(errors).ToHttp();
        if (result.Refused is { } refused)
            return Results.Json(new { error = ApiMessage(refused) }, ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);
        return Results.NoContent();
    }

    private static string FieldName(Field field) => field switch
    {
        Field.To => "email_addresses",
        Field.Cc => "cc_addresses",
        Field.Bcc => "bcc_addresses",
        Field.RemindAfterDays => "remind_after_days",
        _ => "template",
    };

    /// <summary>A list of strings as DRF's <c>ListField(child=EmailField())</c> reads it; the addresses are checked later.</summary>
    private static List<string> List(JsonObject body, string field, bool required, FieldErrors errors)
    {
        var values = new List<string>();
        if (!body.TryGetPropertyValue(field, out var node))
        {
            if (required) errors.Add(field, "This field is required.");
            return values;
        }
        if (node is not JsonArray array)
        {
            errors.Add(field, node is null ? "This field may not be null." : $"Expected a list of items but got type \"{TypeName(node)}\".");
            return values;
        }
        for (var i = 0; i < array.Count; i++)
        {
            var item = array[i];
            if (item is null) errors.Add(field, $"Item {i + 1}: this field may not be null.");
            else if (item.GetValueKind() != JsonValueKind.String) errors.Add(field, $"Item {i + 1}: expected an email address as a string, got {TypeName(item)}.");
            else if (string.IsNullOrWhiteSpace(item.GetValue<string>())) errors.Add(field, $"Item {i + 1}: this field may not be blank.");
            else values.Add(item.GetValue<string>());
        }
        return values;
    }

    private static string TypeName(JsonNode node) => node.GetValueKind() switch
    {
        JsonValueKind.String => "str",
        JsonValueKind.Number => "int",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Object => "dict",
        JsonValueKind.Array => "list",
        _ => "null",
    };
}
