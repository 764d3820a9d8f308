using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Telemetry;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Jobs;
using Enrollment.Infrastructure.Localization;
using Enrollment.Infrastructure.Web;
using Enrollment.Resources;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using Microsoft.Extensions.Localization;
using MimeKit;

namespace Enrollment.Infrastructure.Email;

/// <summary>
/// Sends one batch of invitation emails over one SMTP connection, recording each recipient's outcome as soon as the
/// server has answered: a kill mid-batch loses nothing and sends nothing twice. Recipients are taken first, a slice at a
/// time, by one conditional UPDATE that marks them <see cref="DeliveryState.Sending"/> with this run's token until a
/// lease ends, so two runs of the same batch — the job taken again after a crash, a retry meeting a resend — never send
/// to the same recipient at once; a recipient left <c>Sending</c> by a killed process is taken again when its lease
/// has ended. Transient failures come back later along <see cref="DeliverySettings.RetrySchedule"/>; a permanent
/// refusal, or too many attempts, fails the recipient with the server's answer. A run stops at
/// <see cref="JobSettings.RunBudget"/>, gives back what it took and did not send, and hands the rest to a new job, so
/// it ends before the job storage would give it to another worker.
/// </summary>
/// <remarks>
/// Nothing read here is tracked: each outcome is one short transaction (the row's UPDATE and its event), so the cost of
/// a message does not grow with the batch (a tracked batch made every save compare a hundred recipients, their
/// invitations and the events so far).
/// </remarks>
public sealed class InvitationDeliveryJob(
    AppDbContext db, MailSender sender, EmailTemplates templates, SmtpSettings smtp, DeliverySettings delivery, JobSettings jobSettings,
    AuditTrail audit, BrandTitle brand, IBackgroundJobClient jobs, TimeProvider clock, ILogger<InvitationDeliveryJob> logger,
    EnrollmentMetrics metrics, IStringLocalizer<EmailTexts> texts)
{
    /// <summary>The default <c>Email:RetrySchedule</c>.</summary>
    public static IReadOnlyList<TimeSpan> Backoff => DeliverySettings.DefaultRetrySchedule;

    /// <summary>How many recipients one UPDATE takes.</summary>
    internal const int Slice = 50;

    /// <summary>
    /// How long recipients stay taken by the run that sends them. A live run holds a recipient at most until its time
    /// budget ends plus one message at the SMTP timeout (then it gives back the rest), so the lease covers that; and at
    /// least the job's invisibility timeout, so a recipient of a killed run is free again by the time the job runs again.
    /// </summary>
    private TimeSpan Lease => TimeSpan.FromTicks(Math.Max(jobSettings.InvisibilityTimeout.Ticks,
        (jobSettings.RunBudget + TimeSpan.FromSeconds(2 * Math.Max(1, smtp.Timeout) + 5)).Ticks));

    [AutomaticRetry(Attempts = 3)]
    public async Task SendAsync(Guid[] deliveryIds, CancellationToken ct)
    {
        var started = clock.GetTimestamp();
        var deliveries = await db.InvitationDeliveries.AsNoTracking()
            .Include(d => d.Invitation).ThenInclude(i => i.Flow)
            .Include(d => d.Invitation).ThenInclude(i => i.CreatedBy)
            .Where(d => deliveryIds.Contains(d.Id) && d.State != DeliveryState.Sent && d.State != DeliveryState.Failed
                        && d.State != DeliveryState.Scheduled && d.State != DeliveryState.Cancelled)
            .OrderBy(d => d.Created).ThenBy(d => d.Email)
            .ToListAsync(ct);
        if (deliveries.Count == 0) return;
        var requesters = deliveries.Select(d => d.RequestedById).OfType<int>().Distinct().ToList();
        actors = await db.Users.AsNoTracking().Where(u => requesters.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);

        var look = await brand.GetLookAsync();
        var title = look.Title;
        var rest = new List<Guid>();
        var later = new List<(Guid Id, DateTime At)>();
        var retrying = 0;
        string? lastError = null;
        await using (var session = sender.Open(smtp))
        {
            foreach (var slice in deliveries.Chunk(Slice))
            {
                if (clock.GetElapsedTime(started) > jobSettings.RunBudget) { rest.AddRange(slice.Select(d => d.Id)); continue; }
                var token = Guid.NewGuid();
                var taken = await TakeAsync(slice, token, ct);
                if (taken.Count < slice.Length)
                {
                    // Another run has them (or had them: sent, failed, queued again by a resend with its own job). While
                    // that run holds them, look again when its lease ends, in case that run dies.
                    var others = slice.Where(d => !taken.ContainsKey(d.Id)).Select(d => d.Id).ToList();
                    var held = await db.InvitationDeliveries.AsNoTracking()
                        .Where(x => others.Contains(x.Id) && x.State == DeliveryState.Sending && x.ClaimedUntil != null)
                        .Select(x => new { x.Id, x.ClaimedUntil }).ToListAsync(ct);
                    later.AddRange(held.Select(h => (h.Id, h.ClaimedUntil!.Value)));
                }

                var mine = slice.Where(d => taken.ContainsKey(d.Id)).ToList();
                var done = 0;
                try
                {
                    foreach (var d in mine)
                    {
                        if (clock.GetElapsedTime(started) > jobSettings.RunBudget) break;
                        d.Attempts = taken[d.Id];
                        var now = clock.GetUtcNow().UtcDateTime;
                        MimeMessage? message;
                        string? problem;
                        try
                        {
                            (message, problem) = await ComposeAsync(d, title, look.DefaultLocale, now, ct);
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            // An admin's template that does not compile or throws: that recipient fails with the reason (the
                            // admin fixes the template and resends); the rest of the batch goes ahead.
                            logger.LogError(e, "Rendering the invitation email to {Email} failed", d.Email);
                            (message, problem) = (null, $"The email template \"{d.Template ?? EmailTemplates.Invitation}\" could not be rendered: {e.Message}");
                        }
                        // Recorded as soon as it is known, not at the end of the batch: once the server has the message a
                        // kill from here on does not send it again.
                        if (message is null)
                        {
                            await FailAsync(d, token, problem!);
                        }
                        else
                        {
                            var result = await session.SendAsync(message, ct);
                            now = clock.GetUtcNow().UtcDateTime;
                            switch (result.Status)
                            {
                                case SendStatus.Sent:
                                    await RecordAsync(d, token, u => u
                                        .SetProperty(x => x.State, DeliveryState.Sent).SetProperty(x => x.Sent, now)
                                        .SetProperty(x => x.LastError, (string?)null).SetProperty(x => x.NextAttempt, (DateTime?)null),
                                        audit.Create("invitation_sent", Context(d), Actor(d)));
                                    metrics.EmailSent();
                                    break;
                                case SendStatus.TransientFailure when d.Attempts <= delivery.RetrySchedule.Count:
                                    var error = Truncate(result.Error);
                                    var next = now + delivery.RetrySchedule[d.Attempts - 1];
                                    await RecordAsync(d, token, u => u
                                        .SetProperty(x => x.State, DeliveryState.Retrying).SetProperty(x => x.LastError, error)
                                        .SetProperty(x => x.NextAttempt, next), null);
                                    later.Add((d.Id, next));
                                    retrying++;
                                    metrics.EmailRetried();
                                    lastError = error;
                                    break;
                                default:
                                    await FailAsync(d, token, result.Error ?? "The message was refused.");
                                    break;
                            }
                        }
                        done++;
                    }
                }
                finally
                {
                    // Out of time (or failing): what this run took and did not send is given back at once, not at its
                    // lease's end, so the next job (or a resend) can take it.
                    if (done < mine.Count) await GiveBackAsync(token);
                }
                rest.AddRange(mine.Skip(done).Select(d => d.Id));
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
    /// Takes the slice's free recipients for this run in one conditional UPDATE — of two runs only one gets each — and
    /// answers which it got with their attempt counts (the attempt is counted as it is taken). Free: not finished, not
    /// waiting for its day, and not held by a run whose lease is still running.
    /// </summary>
    private async Task<Dictionary<Guid, int>> TakeAsync(InvitationDelivery[] slice, Guid token, CancellationToken ct)
    {
        var ids = slice.Select(d => d.Id).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        var until = now + Lease;
        var count = await db.InvitationDeliveries
            .Where(x => ids.Contains(x.Id)
                        && (x.State == DeliveryState.Queued || x.State == DeliveryState.Retrying
                            || (x.State == DeliveryState.Sending && (x.ClaimedUntil == null || x.ClaimedUntil <= now))))
            .ExecuteUpdateAsync(u => u
                .SetProperty(x => x.State, DeliveryState.Sending)
                .SetProperty(x => x.Attempts, x => x.Attempts + 1)
                .SetProperty(x => x.LastAttempt, now)
                .SetProperty(x => x.ClaimedUntil, until)
                .SetProperty(x => x.ClaimToken, token), ct);
        if (count == 0) return [];
        return await db.InvitationDeliveries.AsNoTracking()
            .Where(x => ids.Contains(x.Id) && x.ClaimToken == token && x.State == DeliveryState.Sending)
            .ToDictionaryAsync(x => x.Id, x => x.Attempts, ct);
    }

    /// <summary>
    /// Writes a recipient's outcome and its event in one transaction — only while this run still holds it (a run that
    /// outlived its lease does not overwrite the run that took the recipient after it).
    /// </summary>
    private async Task RecordAsync(InvitationDelivery d, Guid token,
        Action<UpdateSettersBuilder<InvitationDelivery>> outcome, Event? e)
    {
        await db.RetryingAsync(async t =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(t);
            var written = await db.InvitationDeliveries
                .Where(x => x.Id == d.Id && x.ClaimToken == token && x.State == DeliveryState.Sending)
                .ExecuteUpdateAsync(u =>
                {
                    outcome(u);
                    u.SetProperty(x => x.ClaimedUntil, (DateTime?)null).SetProperty(x => x.ClaimToken, (Guid?)null);
                }, t);
            if (written == 1 && e is not null)
            {
                db.Events.Add(e);
                await db.SaveChangesAsync(t);
            }
            await tx.CommitAsync(t);
            db.ChangeTracker.Clear();
            if (written == 0) logger.LogWarning("The invitation email to {Email} was handled after this run's hold on it ended; its outcome is left to the run holding it now", d.Email);
        }, CancellationToken.None);
    }

    /// <summary>Gives back what this run took and has not sent: as it was before, one attempt fewer.</summary>
    private Task GiveBackAsync(Guid token) =>
        db.InvitationDeliveries
            .Where(x => x.ClaimToken == token && x.State == DeliveryState.Sending)
            .ExecuteUpdateAsync(u => u
                .SetProperty(x => x.State, x => x.Attempts <= 1 ? DeliveryState.Queued : DeliveryState.Retrying)
                .SetProperty(x => x.Attempts, x => x.Attempts - 1)
                .SetProperty(x => x.ClaimedUntil, (DateTime?)null)
                .SetProperty(x => x.ClaimToken, (Guid?)null), CancellationToken.None);

    private async Task FailAsync(InvitationDelivery d, Guid token, string error)
    {
        var reason = Truncate(error);
        d.LastError = reason;
        var context = Context(d);
        context["error"] = reason;
        await RecordAsync(d, token, u => u
            .SetProperty(x => x.State, DeliveryState.Failed).SetProperty(x => x.LastError, reason)
            .SetProperty(x => x.NextAttempt, (DateTime?)null),
            audit.Create("invitation_send_failed", context, Actor(d)));
        metrics.EmailFailed();
    }

    /// <summary>
    /// The message, in the language the invitation asks for (<see cref="Invitation.LanguageAsked"/>), else the brand's
    /// <paramref name="brandLanguage"/>; a language the invitation asks for also goes into the link, so the pages it
    /// opens speak it too.
    /// </summary>
    private async Task<(MimeMessage?, string?)> ComposeAsync(InvitationDelivery d, string title, string brandLanguage, DateTime now, CancellationToken ct)
    {
        var invitation = d.Invitation;
        var asked = invitation.LanguageAsked();
        Cultures.Use(asked ?? brandLanguage); // this message only: the culture stays with this async call
        if (invitation.Flow is null) return (null, "The invitation has no flow.");
        if (invitation.IsExpired(now)) return (null, "The invitation has expired.");
        if (!EmailAddresses.TryParse(d.Email, out var to, out var error)) return (null, error);
        if (!MailboxAddress.TryParse(smtp.From, out var from)) return (null, $"The sender address \"{smtp.From}\" (Email:From) is not valid.");

        var baseUrl = new Uri(d.BaseUrl);
        var link = invitation.Link(invitation.Flow.Slug) + (asked is null ? "" : $"&{QueryLocaleProvider.Key}={asked}");
        var url = new Uri(baseUrl, link).ToString();
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
        message.Subject = d.IsReminder ? texts["Reminder: you have been invited to {0}", baseUrl.Authority] : texts["You have been invited to {0}", baseUrl.Authority];
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
