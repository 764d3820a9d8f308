using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Telemetry;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Enrollment.Infrastructure.Email;

/// <summary>
/// Sends one batch of invitation emails over one SMTP connection and records each recipient's outcome. Transient
/// failures come back later with growing delays; a permanent refusal, or too many attempts, fails the recipient
/// with the server's answer. Safe to run twice: recipients already sent or failed are skipped.
/// </summary>
public sealed class InvitationDeliveryJob(
    AppDbContext db, MailSender sender, EmailTemplates templates, SmtpSettings smtp, AuditTrail audit,
    BrandTitle brand, IBackgroundJobClient jobs, TimeProvider clock, ILogger<InvitationDeliveryJob> logger, EnrollmentMetrics metrics)
{
    /// <summary>Delay before attempt n+1 after n failed attempts; after the last one the recipient has failed.</summary>
    public static readonly TimeSpan[] Backoff =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(4)];

    [AutomaticRetry(Attempts = 3)]
    public async Task SendAsync(Guid[] deliveryIds, CancellationToken ct)
    {
        var deliveries = await db.InvitationDeliveries
            .Include(d => d.Invitation).ThenInclude(i => i.Flow)
            .Include(d => d.Invitation).ThenInclude(i => i.CreatedBy)
            .Where(d => deliveryIds.Contains(d.Id) && d.State != DeliveryState.Sent && d.State != DeliveryState.Failed)
            .ToListAsync(ct);
        if (deliveries.Count == 0) return;
        var requesters = deliveries.Select(d => d.RequestedById).OfType<int>().Distinct().ToList();
        actors = await db.Users.Where(u => requesters.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);

        var now = clock.GetUtcNow().UtcDateTime;
        var title = await brand.GetAsync();
        var messages = new List<MimeMessage>();
        var sendable = new List<InvitationDelivery>();
        foreach (var d in deliveries)
        {
            d.Attempts++;
            d.LastAttempt = now;
            MimeMessage? message;
            string? problem;
            try
            {
                (message, problem) = await ComposeAsync(d, title, now, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // An admin's template that does not compile or throws: that recipient fails with the reason (the
                // admin fixes the template and resends); the rest of the batch goes ahead.
                logger.LogError(e, "Rendering the invitation email to {Email} failed", d.Email);
                (message, problem) = (null, $"The email template \"{d.Template ?? EmailTemplates.Invitation}\" could not be rendered: {e.Message}");
            }
            if (message is null) { Fail(d, problem!); continue; }
            d.State = DeliveryState.Sending;
            messages.Add(message);
            sendable.Add(d);
        }
        await db.SaveChangesAsync(ct);

        var results = await sender.SendAsync(smtp, messages, ct);
        var retry = new List<Guid>();
        now = clock.GetUtcNow().UtcDateTime;
        for (var i = 0; i < sendable.Count; i++)
        {
            var (d, result) = (sendable[i], results[i]);
            switch (result.Status)
            {
                case SendStatus.Sent:
                    d.State = DeliveryState.Sent; d.Sent = now; d.LastError = null; d.NextAttempt = null;
                    audit.Record("invitation_sent", Context(d), Actor(d));
                    metrics.EmailSent();
                    break;
                case SendStatus.TransientFailure when d.Attempts <= Backoff.Length:
                    d.State = DeliveryState.Retrying; d.LastError = Truncate(result.Error); d.NextAttempt = now + Backoff[d.Attempts - 1];
                    retry.Add(d.Id);
                    metrics.EmailRetried();
                    break;
                default:
                    Fail(d, result.Error ?? "The message was refused.");
                    break;
            }
        }
        await db.SaveChangesAsync(ct);

        if (retry.Count > 0)
        {
            // One scheduled job per delay, so the retried recipients keep sharing a connection.
            foreach (var group in sendable.Where(d => retry.Contains(d.Id)).GroupBy(d => d.NextAttempt!.Value - now))
            {
                var ids = group.Select(d => d.Id).ToArray();
                jobs.Schedule<InvitationDeliveryJob>(j => j.SendAsync(ids, CancellationToken.None), group.Key);
            }
            logger.LogWarning("{Count} invitation emails will be retried: {Error}", retry.Count, sendable.First(d => retry.Contains(d.Id)).LastError);
        }
    }

    private void Fail(InvitationDelivery d, string error)
    {
        d.State = DeliveryState.Failed;
        d.LastError = Truncate(error);
        d.NextAttempt = null;
        var context = Context(d);
        context["error"] = d.LastError;
        audit.Record("invitation_send_failed", context, Actor(d));
        metrics.EmailFailed();
    }

    private async Task<(MimeMessage?, string?)> ComposeAsync(InvitationDelivery d, string title, DateTime now, CancellationToken ct)
    {
        var invitation = d.Invitation;
        if (invitation.Flow is null) return (null, "The invitation has no flow.");
        if (invitation.IsExpired(now)) return (null, "The invitation has expired.");
        if (!EmailAddresses.TryParse(d.Email, out var to, out var error)) return (null, error);
        if (!MailboxAddress.TryParse(smtp.From, out var from)) return (null, $"The sender address \"{smtp.From}\" (Email:From) is not valid.");

        var baseUrl = new Uri(d.BaseUrl);
        var url = new Uri(baseUrl, invitation.Link(invitation.Flow.Slug)).ToString();
        var inviter = invitation.CreatedBy is { } u ? (string.IsNullOrWhiteSpace(u.Name) ? u.UserName ?? "" : u.Name) : "";
        var template = d.Template ?? EmailTemplates.Invitation;
        if (!templates.Exists(template)) return (null, $"There is no email template \"{template}\".");
        var body = await templates.RenderAsync(template, new InvitationEmail(url, invitation.Expires, baseUrl.Authority, inviter, title, invitation.Name), ct);

        var message = new MimeMessage();
        message.From.Add(from);
        message.To.Add(to);
        foreach (var cc in Addresses(d.Cc)) message.Cc.Add(cc);
        foreach (var bcc in Addresses(d.Bcc)) message.Bcc.Add(bcc);
        // authentik's subject and template share one "host" (with the port when it is not the scheme's default).
        // MimeKit encodes the subject; the host comes from a parsed URI, so it holds no line breaks either.
        message.Subject = $"You have been invited to {baseUrl.Authority}";
        var builder = new BodyBuilder { HtmlBody = body.Html };
        if (body.Text.Length > 0) builder.TextBody = body.Text;
        message.Body = builder.ToMessageBody();
        return (message, null);
    }

    private static IEnumerable<MailboxAddress> Addresses(JsonArray list) =>
        list.Select(n => n?.GetValue<string>()).Select(v => EmailAddresses.TryParse(v, out var a, out _) ? a : null).OfType<MailboxAddress>();

    private Dictionary<int, User> actors = [];

    /// <summary>Events name the admin who asked for the email, though a job sends it.</summary>
    private User? Actor(InvitationDelivery d) => d.RequestedById is { } id ? actors.GetValueOrDefault(id) : null;

    private static JsonObject Context(InvitationDelivery d)
    {
        var context = AuditTrail.Model("authentik_stages_invitation", d.Invitation.Name, d.InvitationId, "invitation");
        // Named as invitation_created and invitation_deleted name it, so one filter finds an invitation's events.
        context["invitation"] = new JsonObject { ["pk"] = d.InvitationId.ToString(), ["name"] = d.Invitation.Name };
        context["email"] = d.Email;
        context["attempts"] = d.Attempts;
        if (d.RequestedById is { } by) context["requested_by"] = by;
        return context;
    }

    private static string? Truncate(string? text) => text is null || text.Length <= 2000 ? text : text[..1997] + "…";
}
