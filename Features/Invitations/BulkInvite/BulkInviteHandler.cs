using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Telemetry;
using Enrollment.Infrastructure.Web;
using Mediator;
using Command = Enrollment.Features.Invitations.BulkInvite.BulkInvite.Command;
using Result = Enrollment.Features.Invitations.BulkInvite.BulkInvite.Result;

namespace Enrollment.Features.Invitations.BulkInvite;

/// <summary>
/// Creates the run, one invitation and one queued delivery per accepted recipient and their
/// <c>invitation_created</c> events in one transaction (multi-row inserts, see <see cref="BulkInsert"/>), then hands the
/// deliveries to the email jobs. Nothing is written unless the form as a whole is valid and at least one row is.
/// </summary>
internal sealed class BulkInviteHandler(
    AppDbContext db, AuditTrail audit, ISender sender, IHttpContextAccessor http, IConfiguration configuration, TimeProvider clock,
    EnrollmentMetrics metrics)
    : ICommandHandler<Command, Result>
{
    public async ValueTask<Result> Handle(Command command, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = new List<FieldError>();
        var (expires, expiresError) = InvitationFields.ParseExpires(command.Expires, now);
        if (expiresError is not null) errors.Add(new(nameof(Command.Expires), expiresError));
        var (flowId, flowError) = await InvitationFields.FindEnrollmentFlowAsync(db, command.FlowSlug, ct);
        if (flowError is not null) errors.Add(new(nameof(Command.FlowSlug), flowError));

        if (QueueInvitationEmails.QueueInvitationEmails.RemindAfterProblem(command.RemindAfterDays) is { } remindProblem)
            errors.Add(new(nameof(Command.RemindAfterDays), remindProblem));
        var (list, inputError, tooLarge) = command.Recipients is { } given ? (given, null, false) : await ReadAsync(command, ct);
        if (inputError is not null) errors.Add(inputError);
        var rejected = list?.Rejected ?? [];
        if (list is { Recipients.Count: 0 } && errors.Count == 0)
            errors.Add(new("", rejected.Count switch
            {
                0 => "The list has no recipients: add a row per recipient under the header.",
                1 => "The only row was left out (see below), so no invitation was created.",
                _ => $"All {rejected.Count:N0} rows were left out (see below), so no invitation was created.",
            }));
        if (errors.Count > 0) return new Result(null, 0, errors, rejected, tooLarge);

        var userId = http.HttpContext?.User.UserId();
        var run = new BulkInvitation
        {
            FlowId = flowId, CreatedById = userId, Created = now, Expires = expires, SingleUse = command.SingleUse,
            Total = list!.Recipients.Count,
            Rejected = new JsonArray([.. rejected.Select(r => (JsonNode)r.ToJson())]),
        };
        // Names follow authentik's rule (letters, digits, '_', '-'): the run's short id and the row the recipient came from.
        var prefix = BulkInvitationNames.Prefix(run.Id);
        var baseUrl = LinkOrigin.Of(configuration, http.HttpContext?.Request);
        var invitations = new List<Invitation>(list.Recipients.Count);
        var deliveries = new List<InvitationDelivery>(list.Recipients.Count);
        var events = new List<Event>(list.Recipients.Count);
        foreach (var recipient in list.Recipients)
        {
            var invitation = new Invitation
            {
                Name = prefix + recipient.Row, Expires = expires, FlowId = flowId, SingleUse = command.SingleUse,
                FixedData = WithTemplate(command.TemplateData, recipient.FixedData), CreatedById = userId, Created = now,
                // Each invitation is for its recipient: only their address enrolls with it (and counts as verified).
                Email = recipient.Email,
            };
            invitations.Add(invitation);
            if (command.Send)
            {
                var delivery = QueueInvitationEmails.QueueInvitationEmails.NewDelivery(invitation.Id, recipient.Email, baseUrl, userId);
                delivery.BulkInvitationId = run.Id;
                delivery.Created = now;
                deliveries.Add(delivery);
                if (command.RemindAfterDays is { } days) deliveries.Add(QueueInvitationEmails.QueueInvitationEmails.NewReminder(delivery, now.AddDays(days)));
            }
            // As the single create records it, so every invitation's history starts with its creation.
            var created = audit.Create("invitation_created", new JsonObject
            {
                ["invitation"] = new JsonObject { ["pk"] = invitation.Id.ToString(), ["name"] = invitation.Name },
                ["flow"] = command.FlowSlug,
                ["bulk_invitation"] = run.Id.ToString(),
            });
            created.Created = now;
            events.Add(created);
        }

        // One transaction; the rows go in as multi-row INSERTs (SaveChanges would build and track 30,000 entities).
        await db.RetryingAsync(async _ =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.BulkInvitations.Add(run);
            await db.SaveChangesAsync(ct);
            await db.InsertAsync(invitations, ct);
            await db.InsertAsync(deliveries, ct);
            await db.InsertAsync(events, ct);
            await transaction.CommitAsync(ct);
        }, ct);
        metrics.InvitationsCreated(invitations.Count);

        // After the commit: a job must never look for rows that are not there yet.
        await sender.Send(new QueueInvitationEmails.QueueInvitationEmails.Dispatch([.. deliveries.Where(d => !d.IsReminder).Select(d => d.Id)]), ct);
        return new Result(run.Id, invitations.Count, [], rejected);
    }

    /// <summary>The recipient's own data over the template's (a deep copy each: every invitation owns its document).</summary>
    private static JsonObject WithTemplate(JsonObject? template, JsonObject own)
    {
        if (template is null || template.Count == 0) return own;
        var merged = (JsonObject)template.DeepClone();
        foreach (var (key, value) in own) merged[key] = value?.DeepClone();
        return merged;
    }

    /// <summary>The list from the textarea or the file (not both), held to the size limit.</summary>
    private static async Task<(RecipientList? List, FieldError? Error, bool TooLarge)> ReadAsync(Command command, CancellationToken ct)
    {
        var pasted = !string.IsNullOrWhiteSpace(command.Addresses);
        var uploaded = command.CsvFile is { Length: > 0 };
        if (pasted && uploaded) return (null, new(nameof(Command.Addresses), "Paste addresses or upload a CSV file, not both."), false);
        if (!pasted && !uploaded)
            return (null, command.CsvFile is not null
                ? new(nameof(Command.CsvFile), "The uploaded file is empty.")
                : new(nameof(Command.Addresses), "Paste at least one email address, or upload a CSV file."), false);

        string text;
        if (uploaded)
        {
            if (command.CsvFile!.Length > BulkInviteLimits.MaxInputBytes) return (null, new(nameof(Command.CsvFile), BulkInviteLimits.TooLarge), true);
            using var reader = new StreamReader(command.CsvFile.OpenReadStream(), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            text = await reader.ReadToEndAsync(ct);
        }
        else
        {
            text = command.Addresses!;
            if (Encoding.UTF8.GetByteCount(text) > BulkInviteLimits.MaxInputBytes) return (null, new(nameof(Command.Addresses), BulkInviteLimits.TooLarge), true);
        }

        var list = uploaded ? RecipientList.FromCsv(text) : RecipientList.FromPaste(text);
        if (list.Error is not null)
            return (null, new(uploaded ? nameof(Command.CsvFile) : nameof(Command.Addresses), list.Error), list.Error == BulkInviteLimits.TooManyRows);
        return (list, null, false);
    }
}
