using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Features.Invitations.BulkInvite;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;
using BulkInvite = Enrollment.Features.Invitations.BulkInvite.BulkInvite;
using BulkInviteProgress = Enrollment.Features.Invitations.BulkInviteProgress.BulkInviteProgress;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// Bulk invitations over the API (ours; authentik has none): <c>POST …/invitations/bulk/</c> with a template and a
/// list of recipients creates one invitation per recipient — through the admin's bulk command, so the same limits,
/// checks and single transaction — and answers 202 with the run's id; the emails go out in the background unless
/// <c>send</c> is false. <c>GET …/bulk/{job_id}/</c> answers the run's progress and, paged, each recipient's
/// invitation and delivery state.
/// </summary>
public static class BulkInvitationsEndpoints
{
    public const string Path = "/stages/invitation/invitations/bulk/";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost(Path, CreateAsync).WithName("stages_invitation_invitations_bulk_create");
        api.MapGet(Path + "{jobId:guid}/", ProgressAsync).WithName("stages_invitation_invitations_bulk_retrieve");
    }

    private static async Task<IResult> CreateAsync(HttpRequest request, AppDbContext db, ISender sender, CancellationToken ct)
    {
        // 10,000 recipients with fixed_data fit comfortably; the body limit is the bulk page's.
        var (body, error) = await ApiBody.ReadObjectAsync(request, ct, BulkInviteLimits.MaxInputBytes);
        if (error is not null) return error;
        var errors = new JsonObject();
        void Add(JsonObject at, string field, string message) =>
            ((at[field] as JsonArray) ?? (JsonArray)(at[field] = new JsonArray())).Add(message);
        var templateErrors = new JsonObject();

        var command = new BulkInvite.Command { SingleUse = true };
        var template = body!["template"];
        if (template is not JsonObject t)
        {
            Add(errors, "template", template is null ? "This field is required." : "Expected an object with the invitations' fields.");
        }
        else
        {
            if (t["flow"] is JsonValue flowNode && flowNode.GetValueKind() == JsonValueKind.String && Guid.TryParse(flowNode.GetValue<string>(), out var flowId))
            {
                command.FlowSlug = await db.Flows.Where(f => f.Id == flowId).Select(f => f.Slug).SingleOrDefaultAsync(ct);
                if (command.FlowSlug is null) Add(templateErrors, "flow", $"Invalid pk \"{flowId}\" - object does not exist.");
            }
            else Add(templateErrors, "flow", t.ContainsKey("flow") ? "Must be a valid UUID." : "This field is required.");
            if (t["expires"] is { } expiresNode)
            {
                var parsed = expiresNode.GetValueKind() == JsonValueKind.String ? InvitationInput.ParseDateTime(expiresNode.GetValue<string>()) : null;
                if (parsed is null) Add(templateErrors, "expires", "Datetime has wrong format. Use ISO 8601 with a time zone, e.g. 2031-01-31T12:00:00Z.");
                else command.Expires = parsed.Value.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
            }
            if (t["single_use"] is { } singleNode)
            {
                if (singleNode.GetValueKind() is JsonValueKind.True or JsonValueKind.False) command.SingleUse = singleNode.GetValue<bool>();
                else Add(templateErrors, "single_use", "Must be a valid boolean.");
            }
            if (t["fixed_data"] is { } fixedNode)
            {
                if (fixedNode is not JsonObject fixedData) Add(templateErrors, "fixed_data", "Expected a JSON object (key: value pairs).");
                else if (fixedData.ToJsonString().Length > RecipientList.MaxFixedDataChars) Add(templateErrors, "fixed_data", "Custom attributes may be at most 64 KB.");
                else if (Infrastructure.Serialization.StructuredText.Unstorable(fixedData) is { } problem) Add(templateErrors, "fixed_data", problem);
                else command.TemplateData = (JsonObject)fixedData.DeepClone();
            }
        }
        if (body["recipients"] is JsonArray recipients)
        {
            if (recipients.Count == 0) Add(errors, "recipients", "This list may not be empty.");
            else command.Recipients = RecipientList.FromJson(recipients);
            if (command.Recipients?.Error is { } listError) Add(errors, "recipients", listError);
        }
        else Add(errors, "recipients", body.ContainsKey("recipients") ? "Expected a list of items." : "This field is required.");
        if (body["send"] is { } sendNode)
        {
            if (sendNode.GetValueKind() is JsonValueKind.True or JsonValueKind.False) command.Send = sendNode.GetValue<bool>();
            else Add(errors, "send", "Must be a valid boolean.");
        }
        if (body["remind_after_days"] is { } remindNode)
        {
            if (remindNode.GetValueKind() == JsonValueKind.Number && remindNode.AsValue().TryGetValue<int>(out var days)) command.RemindAfterDays = days;
            else Add(errors, "remind_after_days", "A valid integer is required.");
        }
        if (templateErrors.Count > 0) errors["template"] = templateErrors;
        if (errors.Count > 0) return Results.Json(errors, ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);

        var result = await sender.Send(command, ct);
        if (!result.Succeeded)
        {
            foreach (var e in result.Errors)
            {
                switch (e.Field)
                {
                    case nameof(BulkInvite.Command.FlowSlug): Add(templateErrors, "flow", e.Message); break;
                    case nameof(BulkInvite.Command.Expires): Add(templateErrors, "expires", e.Message); break;
                    case nameof(BulkInvite.Command.RemindAfterDays): Add(errors, "remind_after_days", e.Message); break;
                    default: Add(errors, "recipients", e.Message); break;
                }
            }
            if (templateErrors.Count > 0) errors["template"] = templateErrors;
            errors["rejected"] = Rejected(result.Rejected);
            return Results.Json(errors, ApiJson.Options, statusCode: StatusCodes.Status400BadRequest);
        }
        return Results.Json(new JsonObject
        {
            ["job_id"] = result.RunId!.Value.ToString(),
            ["total"] = result.Created,
            ["rejected"] = Rejected(result.Rejected),
            ["progress_url"] = $"/api/v3{Path}{result.RunId}/",
        }, ApiJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    private static JsonArray Rejected(IEnumerable<Enrollment.Features.Invitations.Shared.RejectedRow> rows) =>
        new([.. rows.Select(r => (JsonNode)new JsonObject { ["row"] = r.Row, ["value"] = r.Value, ["error"] = r.Error })]);

    /// <summary>The run's counts, the recipients it left out, and one page of recipients with their invitation and email state.</summary>
    private static async Task<IResult> ProgressAsync(Guid jobId, HttpContext http, AppDbContext db, ISender sender, CancellationToken ct)
    {
        var run = await sender.Send(new BulkInviteProgress.Query(jobId), ct);
        if (run is null) return ApiResult<object>.NotFound().ToHttp();
        var errors = new FieldErrors();
        var page = PageRequest.Parse(http.Request.Query["page"], http.Request.Query["page_size"], errors);
        if (errors.Any) return ApiResult<object>.Invalid(errors).ToHttp();
        var recipients = db.InvitationDeliveries.AsNoTracking().Where(d => d.BulkInvitationId == jobId && !d.IsReminder)
            .OrderBy(d => d.Invitation.Name).ThenBy(d => d.Id)
            .Select(d => new { d.Email, Invitation = d.InvitationId, d.Invitation.Name, d.State, d.Attempts, d.LastError, d.Sent, d.Invitation.Uses });
        var found = await recipients.ToApiPageAsync(page, ct);
        if (found.Value is not { } p) return found.As<object>().ToHttp();
        var progress = run.Progress;
        return Results.Json(new
        {
            job_id = run.Id,
            created = run.Created,
            flow = run.FlowSlug,
            total = run.Total,
            progress = new { queued = progress.Queued, sending = progress.Sending, sent = progress.Sent, retrying = progress.Retrying, failed = progress.Failed, finished = progress.Finished },
            rejected = run.Rejected.Select(r => new { row = r.Row, value = r.Value, error = r.Error }),
            pagination = p.Pagination,
            results = p.Results.Select(r => new
            {
                email = r.Email, invitation = r.Invitation, name = r.Name, state = Wire.Name(r.State), attempts = r.Attempts, error = r.LastError,
                sent = r.Sent, enrolled = r.Uses > 0,
            }),
            autocomplete = new { },
        }, ApiJson.Options);
    }
}
