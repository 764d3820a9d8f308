using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Email;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using MimeKit;

using Enrollment.Features.FlowExecution;
using Enrollment.Infrastructure.Localization;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;

namespace Enrollment.Features.Stages.Email;

/// <summary>
/// authentik's email stage: sends a link with a random key (<c>?flow_token=</c>, only its digest is stored) to the
/// address of the flow's user and waits until the link is opened (<c>Features/FlowExecution/OpenEmailLink</c> marks
/// the verification and hands the plan to the browser that opened it). Then, with <c>activate_user_on_success</c>,
/// the pending user becomes active, and the flow continues. The first email goes out when the stage is first shown,
/// inside the request; a failure is shown on the stage with a button to try again. When the invitation in effect is
/// bound to the very address the stage would write to, the stage passes at once: the invitation's link proved it.
/// </summary>
internal sealed class EmailStageExecutor(
    AppDbContext db, MailSender sender, EmailTemplates templates, SmtpSettings global, AuditTrail audit, BrandTitle brand,
    IConfiguration configuration, TimeProvider clock, ILogger<EmailStageExecutor> log, IStringLocalizer<FlowTexts> t, IStringLocalizer<EmailTexts> mail) : IStageExecutor
{
    public const string PartialName = "/Features/Stages/Email/_EmailStage.cshtml";
    private const int MaxEmails = EmailStageMessages.MaxEmails;
    private const string NoAddress = EmailStageMessages.NoAddress, NotYet = EmailStageMessages.NotYet, SentAgain = EmailStageMessages.SentAgain,
        TooMany = EmailStageMessages.TooMany, Unavailable = EmailStageMessages.Unavailable, Refused = EmailStageMessages.Refused,
        Misconfigured = EmailStageMessages.Misconfigured;


    public async Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct)
    {
        var stage = (EmailStage)run.Stage;
        var sent = await SentAsync(run, ct);
        if (sent.Verified || await ProvenByInvitationAsync(run, ct)) return await ContinueAsync(run, stage, ct);
        if (sent.Count > 0) return Waiting(stage, sent, null);
        return await SendAsync(run, stage, sent, ct);
    }

    /// <summary>The waiting page posts <c>action=resend</c> (send again, or try again after a failure) or <c>action=check</c>.</summary>
    public async Task<StageOutcome> SubmitAsync(StageRun run, IFormCollection form, CancellationToken ct)
    {
        var stage = (EmailStage)run.Stage;
        var sent = await SentAsync(run, ct);
        if (sent.Verified || await ProvenByInvitationAsync(run, ct)) return await ContinueAsync(run, stage, ct);
        if (form["action"] == "resend" || sent.Count == 0) return await SendAsync(run, stage, sent, ct);
        return Waiting(stage, sent, NotYet);
    }

    /// <summary>
    /// The invitation in effect is bound to the address this stage would write to: its link, sent there, already proved
    /// the address, so no second email is sent.
    /// </summary>
    private async Task<bool> ProvenByInvitationAsync(StageRun run, CancellationToken ct)
    {
        if (run.Context.InvitationId is not { } id) return false;
        var bound = await db.Invitations.AsNoTracking().Where(i => i.Id == id).Select(i => i.Email).SingleOrDefaultAsync(ct);
        if (bound is null) return false;
        var (address, _, _) = await RecipientAsync(run, ct);
        return InvitationAddresses.SameAddress(bound, address);
    }

    private sealed record Sent(int Count, bool Verified, string? Email);

    /// <summary>This plan's links from this stage: how many were sent, whether one was opened, and to which address.</summary>
    private async Task<Sent> SentAsync(StageRun run, CancellationToken ct)
    {
        var rows = await db.EmailVerifications.AsNoTracking()
            .Where(v => v.FlowPlanId == run.Plan.Id && v.StageId == run.Stage.Id)
            .OrderByDescending(v => v.Created)
            .Select(v => new { v.Email, v.Verified }).ToListAsync(ct);
        return new(rows.Count, rows.Any(r => r.Verified is not null), rows.FirstOrDefault()?.Email);
    }

    private static StageOutcome Waiting(EmailStage stage, Sent sent, string? notice, string? error = null) =>
        new StageOutcome.Show(PartialName, new EmailStageView(stage.Name, sent.Email, sent.Count > 0, stage.TokenExpiry, notice, error, sent.Count < MaxEmails));

    /// <summary>The link was opened: activate the user if asked to, and move on.</summary>
    private async Task<StageOutcome> ContinueAsync(StageRun run, EmailStage stage, CancellationToken ct)
    {
        if (stage.ActivateUserOnSuccess)
        {
            if (run.Context.PendingUserId is { } id) await ActivateAsync(db, id, ct);
            // No user yet (the user write stage comes later): it creates the user active, whatever its create_users_as_inactive says.
            else run.Context.ActivateUserOnWrite = true;
        }
        return StageOutcome.Next;
    }


    /// <summary>Makes the user active. Through the change tracker, so a later stage of this request sees it.</summary>
    public static async Task ActivateAsync(AppDbContext db, int userId, CancellationToken ct)
    {
        if (await db.Users.FindAsync([userId], ct) is { IsActive: false } user)
        {
            user.IsActive = true;
            await db.SaveChangesAsync(ct);
        }
    }

    private async Task<StageOutcome> SendAsync(StageRun run, EmailStage stage, Sent sent, CancellationToken ct)
    {
        if (sent.Count >= MaxEmails) return Waiting(stage, sent, null, TooMany);
        var (address, name, user) = await RecipientAsync(run, ct);
        if (address is null) return new StageOutcome.Deny(t[NoAddress]);
        if (!EmailAddresses.TryParse(address, out var to, out _)) return new StageOutcome.Deny(t[EmailStageMessages.InvalidAddress]);
        var shown = sent with { Email = to.Address };

        var settings = EmailStageMail.Settings(stage, global);
        if (!EmailStageMail.TryParseFrom(settings.From, out var from, out _))
        {
            log.LogError("Email stage {Stage}: the sender address \"{From}\" is not valid", stage.Name, settings.From);
            return Waiting(stage, shown, null, Misconfigured);
        }

        var key = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = now.AddMinutes(Math.Max(1, stage.TokenExpiry));
        var origin = LinkOrigin.Of(configuration, run.Http.Request);
        // The email is in the invitee's language, and so is the page its link opens, in whatever browser.
        var url = $"{origin}/if/flow/{Uri.EscapeDataString(run.Flow.Slug)}/?{EmailStageMail.QueryKey}={key}&{QueryLocaleProvider.Key}={Cultures.Current}";
        MimeMessage message;
        try
        {
            var template = EmailStageMail.ResolveTemplate(stage.Template, templates);
            var body = await templates.RenderAsync(template, new VerificationEmail(url, expires, new Uri(origin).Host, name, await brand.GetAsync()), ct);
            message = new MimeMessage();
            message.From.Add(from);
            message.To.Add(string.IsNullOrWhiteSpace(name) ? to : new MailboxAddress(name.ReplaceLineEndings(" "), to.Address));
            // The admin's subject as written; authentik's default one (which nobody chose) in the invitee's language.
            message.Subject = string.IsNullOrWhiteSpace(stage.Subject) || stage.Subject == EmailStageMail.DefaultSubject
                ? mail["Confirm your email address for {0}", new Uri(origin).Host]
                : EmailStageMail.Subject(stage.Subject);
            var builder = new BodyBuilder { HtmlBody = body.Html };
            if (body.Text.Length > 0) builder.TextBody = body.Text;
            message.Body = builder.ToMessageBody();
        }
        catch (Exception e) when (e is not OperationCanceledException) // a missing or broken (admin's) template, a bad BaseUrl
        {
            log.LogError(e, "Email stage {Stage}: the template \"{Template}\" cannot be rendered", stage.Name, stage.Template);
            return Waiting(stage, shown, null, Misconfigured);
        }

        // The row goes in first (with the plan, when it is new), so the link works the moment the email arrives.
        var verification = new EmailVerification
        {
            KeyHash = ApiTokenAuthenticationHandler.Digest(key),
            FlowPlanId = run.Plan.Id,
            StageId = stage.Id,
            Email = to.Address,
            Created = now,
            Expires = expires,
        };
        db.EmailVerifications.Add(verification);
        await db.SaveChangesAsync(ct);

        var result = (await sender.SendAsync(settings, [message], ct))[0];
        if (result.Status != SendStatus.Sent)
        {
            db.EmailVerifications.Remove(verification);
            await db.SaveChangesAsync(ct);
            log.LogWarning("Email stage {Stage}: sending to {Server} failed: {Error}", stage.Name, settings, result.Error);
            return Waiting(stage, shown, null, result.Status == SendStatus.PermanentFailure ? Refused : Unavailable);
        }

        var context = AuditTrail.Model("authentik_stages_email", stage.Name, stage.Id, "emailstage");
        context["message"] = $"Email to {to.Address} sent";
        context["to_email"] = new JsonArray(to.Address);
        context["from_email"] = from.Address;
        context["subject"] = message.Subject;
        context["flow"] = run.Flow.Slug;
        audit.Record("email_sent", context, user);
        await db.SaveChangesAsync(ct);
        run.Context.Data["email_sent"] = true; // authentik's plan context key
        return Waiting(stage, shown with { Count = sent.Count + 1 }, sent.Count > 0 ? SentAgain : null);
    }

    /// <summary>
    /// authentik's order: the plan context's <c>email</c> (an override), the pending user's email, and — our
    /// addition for flows that verify before writing the user — <c>prompt_data.email</c>.
    /// </summary>
    private async Task<(string? Address, string Name, User? User)> RecipientAsync(StageRun run, CancellationToken ct)
    {
        var user = run.Context.PendingUserId is { } id ? await db.Users.FindAsync([id], ct) : null;
        var prompt = run.Context.HasPromptData ? run.Context.PromptData : null;
        var address = new[] { Text(run.Context.Data["email"]), user?.Email, Text(prompt?["email"]) }.FirstOrDefault(a => !string.IsNullOrWhiteSpace(a));
        var name = new[] { user?.Name, user?.UserName, Text(prompt?["name"]), Text(prompt?["username"]) }.FirstOrDefault(n => !string.IsNullOrWhiteSpace(n)) ?? "";
        return (address, name, user);
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
