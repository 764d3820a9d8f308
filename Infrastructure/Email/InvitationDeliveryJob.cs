using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Telemetry;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Jobs;
using Enrollment.Infrastructure.Web;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Enrollment.Infrastructure.Email;

/// <summary>
/// Sends one batch of invitation emails over one SMTP connection, recording each recipient's outcome as soon as the
/// server has answered: a kill mid-batch loses nothing and sends nothing twice. Each recipient is taken first (a
/// conditional UPDATE marks it <see cref="DeliveryState.Sending"/> until a lease ends), so two runs of the same batch —
/// the job taken again after a crash, a retry meeting a resend — never send to the same recipient at once; a recipient
/// left <c>Sending</c> by a killed process is taken again when its lease has ended. Transient failures come back later
/// along <see cref="DeliverySettings.RetrySchedule"/>; a permanent refusal, or too many attempts, fails the recipient
/// with the server's answer. A run stops at <see cref="JobSettings.RunBudget"/> and hands the rest to a new job, so it
/// ends before the job storage would give it to another worker.
/// </summary>
public sealed class InvitationDeliveryJob(
    AppDbContext db, MailSender sender, EmailTemplates templates, SmtpSettings smtp, DeliverySettings delivery, JobSettings jobSettings,
    AuditTrail audit, BrandTitle brand, IBackgroundJobClient jobs, TimeProvider clock, ILogger<InvitationDeliveryJob> logger,
    EnrollmentMetrics metrics)
{
    /// <summary>The default <c>Email:RetrySchedule</c>.</summary>
    public static IReadOnlyList<TimeSpan> Backoff => DeliverySettings.DefaultRetrySchedule;

    /// <summary>
    /// How long a recipient stays taken by the run that sends it. At least the job's invisibility timeout (a recipient of a
    /// killed run is free again by the time the job runs again) and long enough for one message at the SMTP timeout.
    /// </summary>
    private TimeSpan Lease => TimeSpan.FromTicks(Math.Max(jobSettings.InvisibilityTimeout.Ticks, TimeSpan.FromSeconds(2 * Math.Max(1, smtp.Timeout) + 5).Ticks));

    [AutomaticRetry(Attempts = 3)]
    public async Task SendAsync(Guid[] deliveryIds, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var deliveries = await db.InvitationDeliveries
            .Include(d => d.Invitation).ThenInclude(i => i.Flow)
            .Include(d => d.Invitation).ThenInclude(i => i.CreatedBy)
            .Where(d => deliveryIds.Contains(d.Id) && d.State != DeliveryState.Sent && d.State != DeliveryState.Failed
                        && d.State != DeliveryState.Scheduled && d.State != DeliveryState.Cancelled)
            .OrderBy(d => d.Created).ThenBy(d => d.Email)
            .ToListAsync(ct);
        if (deliveries.Count == 0) return;
        var requesters = deliveries.Select(d => d.RequestedById).OfType<int>().Distinct().ToList();
        actors = await db.Users.Where(u => requesters.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);

        var title = await brand.GetAsync();
        var rest = new List<Guid>();
        var later = new List<(Guid Id, DateTime At)>();
        var retrying = 0;
        string? lastError = null;
        await using (var session = sender.Open(smtp))
        {
            foreach (var d in deliveries)
            {
                if (clock.GetElapsedTime(started) > jobSettings.RunBudget) { rest.Add(d.Id); continue; }
                var now = clock.GetUtcNow().UtcDateTime;
                if (!await TakeAsync(d, now, ct))
                {
                    // Another run has it (or had it: sent, failed, queued again by a resend with its own job). While that
                    // run holds it, look again when its lease ends, in case that run dies.
                    var held = await db.InvitationDeliveries.AsNoTracking().Where(x => x.Id == d.Id && x.State == DeliveryState.Sending)
                        .Select(x => x.ClaimedUntil).FirstOrDefaultAsync(ct);
                    if (held is { } until) later.Add((d.Id, until));
                    continue;
                }

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
                if (message is null)
                {
                    Fail(d, problem!);
                }
                else
                {
                    var result = await session.SendAsync(message, ct);
                    now = clock.GetUtcNow().UtcDateTime;
                    switch (result.Status)
                    {
                        case SendStatus.Sent:
                            d.State = DeliveryState.Sent; d.Sent = now; d.LastError = null; d.NextAttempt = null; d.ClaimedUntil = null;
                            audit.Record("invitation_sent", Context(d), Actor(d));
                            metrics.EmailSent();
                            break;
                        case SendStatus.TransientFailure when d.Attempts <= delivery.RetrySchedule.Count:
                            d.State = DeliveryState.Retrying; d.LastError = Truncate(result.Error); d.ClaimedUntil = null;
                            d.NextAttempt = now + delivery.RetrySchedule[d.Attempts - 1];
                            later.Add((d.Id, d.NextAttempt.Value));
                            retrying++;
                            metrics.EmailRetried();
                            lastError = d.LastError;
                            break;
                        default:
                            Fail(d, result.Error ?? "The message was refused.");
                            break;
                    }
                }
                // Recorded now, not at the end of the batch: the server has this message, so a kill from here on
                // does not send it again.
                await db.SaveChangesAsync(CancellationToken.None);
            }
        }

        if (rest.Count > 0)
        {
            // The run's time is up: a new job continues, on whichever worker (or instance) is free.
            var restIds = rest.ToArray();
            jobs.Enqueue<InvitationDeliveryJob>(j => j.SendAsync(restIds, CancellationToken.None));
            logger.LogInformation("{Count} invitation emails continue in a new job", rest.Count);
        }
        // One scheduled job per moment (to the second), so the retried recipients keep sharing a connection.
        var epoch = clock.GetUtcNow().UtcDateTime;
        foreach (var group in later.GroupBy(l => new DateTime(l.At.Ticks - l.At.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc)))
        {
            var ids = group.Select(l => l.Id).ToArray();
            var delay = group.Key.AddSeconds(1) - epoch;
            jobs.Schedule<InvitationDeliveryJob>(j => j.SendAsync(ids, CancellationToken.None), delay > TimeSpan.Zero ? delay : TimeSpan.Zero);
        }
        if (retrying > 0) logger.LogWarning("{Count} invitation emails will be retried: {Error}", retrying, lastError);
    }

    /// <summary>
    /// Takes the recipient for this run: one conditional UPDATE on the values this run read, so of two runs only one
    /// gets it. Counts the attempt and starts the lease.
    /// </summary>
    private async Task<bool> TakeAsync(InvitationDelivery d, DateTime now, CancellationToken ct)
    {
        var (state, attempts, claimed) = (d.State, d.Attempts, d.ClaimedUntil);
        if (state == DeliveryState.Sending && claimed > now) return false;
        var until = now + Lease;
        var taken = await db.InvitationDeliveries
            .Where(x => x.Id == d.Id && x.State == state && x.Attempts == attempts && x.ClaimedUntil == claimed)
            .ExecuteUpdateAsync(u => u
                .SetProperty(x => x.State, DeliveryState.Sending)
                .SetProperty(x => x.Attempts, attempts + 1)
                .SetProperty(x => x.LastAttempt, now)
                .SetProperty(x => x.ClaimedUntil, until), ct);
        if (taken != 1) return false;
        (d.State, d.Attempts, d.LastAttempt, d.ClaimedUntil) = (DeliveryState.Sending, attempts + 1, now, until);
        // Written above: these are the row's values now, so SaveChanges writes only the outcome.
        var entry = db.Entry(d);
        entry.OriginalValues.SetValues(entry.CurrentValues);
        return true;
    }

    private void Fail(InvitationDelivery d, string error)
    {
        d.State = DeliveryState.Failed;
        d.LastError = Truncate(error);
        d.NextAttempt = null;
        d.ClaimedUntil = null;
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
        message.Subject = d.IsReminder ? $"Reminder: you have been invited to {baseUrl.Authority}" : $"You have been invited to {baseUrl.Authority}";
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
        if (d.IsReminder) context["reminder"] = true;
        if (d.RequestedById is { } by) context["requested_by"] = by;
        return context;
    }

    private static string? Truncate(string? text) => text is null || text.Length <= 2000 ? text : text[..1997] + "…";
}
