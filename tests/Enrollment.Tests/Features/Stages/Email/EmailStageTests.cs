using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Email;

/// <summary>
/// The email stage end to end: the message arrives over SMTP, the flow waits, the link continues the flow in any
/// browser (signed in, user activated), unusable links get clear 4xx pages, and sending failures can be retried.
/// </summary>
public sealed partial class EmailStageTests(Hosts.WithSmtp app) : IClassFixture<Hosts.WithSmtp>
{
    [GeneratedRegex(@"http://localhost(/if/flow/[a-z0-9-]+/\?flow_token=[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    private static EmailStage GlobalEmailStage(string slug, bool activate = true) => new()
    {
        Name = $"{slug}-email", UseGlobalSettings = true, Host = "smtp.invalid", Subject = $"Confirm your account ({slug})",
        ActivateUserOnSuccess = activate, TokenExpiry = 30,
    };

    /// <summary>invitation → account prompts → user write (inactive) → email → login, or with the email stage before the user write.</summary>
    private async Task<string> InvitationLinkAsync(string slug, EmailStage email, bool verifyBeforeWrite = false)
    {
        var write = new UserWriteStage { Name = $"{slug}-write", CreateUsersAsInactive = true, UserType = UserType.Internal };
        Stage[] stages = verifyBeforeWrite
            ? [new InvitationStage { Name = $"{slug}-invitation" }, AccountPrompts(slug), email, write, new UserLoginStage { Name = $"{slug}-login" }]
            : [new InvitationStage { Name = $"{slug}-invitation" }, AccountPrompts(slug), write, email, new UserLoginStage { Name = $"{slug}-login" }];
        var (flow, _) = await FlowAsync(app, slug, stages);
        var invitation = await InvitationAsync(app, slug, flow.Id);
        return $"/if/flow/{slug}/?itoken={invitation.Id}";
    }

    /// <summary>Fills the account prompts and follows the flow to the page it stops at (the email stage's).</summary>
    private static async Task<IHtmlDocument> EnrollUntilEmailAsync(TestClient client, string link, string username)
    {
        var page = await client.GetPageAsync(link);
        var posted = await client.SubmitAsync(FlowPath(link), page, Answers(username));
        posted.AssertRedirect(FlowPath(link));
        return await client.GetPageAsync(FlowPath(link));
    }

    private static MimeMessage MessageTo(LoopbackSmtpServer smtp, string address, int count = 1)
    {
        // Sending finishes inside the request, so the message is there once the response is.
        var messages = smtp.Messages.Where(m => m.To.Mailboxes.Any(x => x.Address == address)).ToList();
        Assert.True(messages.Count == count, $"Expected {count} message(s) to {address}, found {messages.Count}.");
        return messages[^1];
    }

    private static string LinkIn(MimeMessage message)
    {
        var match = LinkPattern().Match(message.TextBody);
        Assert.True(match.Success, "No link in: " + message.TextBody);
        Assert.Contains(match.Value, message.HtmlBody);
        return match.Groups[1].Value;
    }

    private Task<User> UserAsync(string username) => app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == username));

    /// <summary>Opens the link as <paramref name="client"/> would and clicks "Confirm and continue"; returns the POST's response.</summary>
    private static async Task<HttpResponseMessage> ConfirmAsync(TestClient client, string link)
    {
        var page = await client.GetPageAsync(link);
        Assert.NotNull(page.QuerySelector("#flow-card .email-link"));
        var fields = new List<KeyValuePair<string, string>>
        {
            new("flow_token", page.QuerySelector("#flow-card input[name=flow_token]")!.GetAttribute("value")!),
            new("stage", StageId(page)),
            new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)),
        };
        return await client.Http.PostAsync(FlowPath(link), new FormUrlEncodedContent(fields));
    }

    private static void AssertWaiting(IHtmlDocument page, string address)
    {
        Assert.Equal("Check your email", page.QuerySelector("#flow-card .email-stage h2")?.TextContent.Trim());
        Assert.Equal(address, page.QuerySelector("#flow-card .email-address")?.TextContent.Trim());
    }

    [Fact]
    public async Task The_flow_waits_for_the_emailed_link_and_continues_signed_in_and_active_in_another_browser()
    {
        var link = await InvitationLinkAsync("email-main", GlobalEmailStage("email-main"));
        using var first = app.NewClient();

        var waiting = await EnrollUntilEmailAsync(first, link, "email-ann");

        AssertWaiting(waiting, "email-ann@example.com");
        var message = MessageTo(app.Smtp, "email-ann@example.com");
        Assert.Equal("Confirm your account (email-main)", message.Subject);
        Assert.Equal("enrollment@example.com", message.From.Mailboxes.Single().Address); // Email:From, as use_global_settings says
        Assert.Equal("Name of email-ann", message.To.Mailboxes.Single().Name);
        var emailLink = LinkIn(message);
        Assert.False((await UserAsync("email-ann")).IsActive);

        // Before the link is opened: showing and posting the stage stay on it.
        AssertWaiting(await first.GetPageAsync("/if/flow/email-main/"), "email-ann@example.com");
        var check = await first.SubmitAsync("/if/flow/email-main/", waiting, ("action", "check"));
        var still = await PageOf(check);
        AssertWaiting(still, "email-ann@example.com");
        Assert.Equal(EmailStageMessages.NotYet, still.QuerySelector("#flow-card [role=status]")?.TextContent.Trim());
        Assert.False((await UserAsync("email-ann")).IsActive);
        Assert.Single(app.Smtp.Messages, m => m.To.Mailboxes.Any(x => x.Address == "email-ann@example.com"));

        // Another browser opens the link, confirms, and ends signed in.
        using var second = app.NewClient();
        var confirmed = await ConfirmAsync(second, emailLink);
        confirmed.AssertRedirect("/if/flow/email-main/");
        Assert.DoesNotContain("flow_token", confirmed.Headers.Location!.OriginalString);
        var chain = await FollowAsync(second, await second.Http.GetAsync(confirmed.Headers.Location!.OriginalString));
        Assert.Equal("/if/user/", chain[^1].RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, chain[^1].StatusCode);
        Assert.Contains("email-ann", await chain[^1].Content.ReadAsStringAsync());
        Assert.True((await UserAsync("email-ann")).IsActive);

        // The first browser no longer holds the sign-up, and is not signed in.
        var stale = await PageOf(await first.SubmitAsync("/if/flow/email-main/", waiting, ("action", "check")));
        Assert.NotNull(Denial(stale));
        await AssertSignedOutAsync(first);

        // The event names the stage and the address, never the key.
        var sent = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "email_sent").ToListAsync());
        var e = Assert.Single(sent, e => e.Context.ToJsonString().Contains("email-ann@example.com"));
        Assert.Equal("email-main-email", (string?)e.Context["model"]!["name"]);
        Assert.Equal("emailstage", (string?)e.Context["model"]!["model_name"]);
        Assert.DoesNotContain(emailLink.Split("flow_token=")[1], e.Context.ToJsonString());
    }

    [Fact]
    public async Task Opening_the_link_in_the_same_browser_continues_there()
    {
        var link = await InvitationLinkAsync("email-same", GlobalEmailStage("email-same"));
        using var client = app.NewClient();
        await EnrollUntilEmailAsync(client, link, "email-sam");
        var emailLink = LinkIn(MessageTo(app.Smtp, "email-sam@example.com"));

        var confirmed = await ConfirmAsync(client, emailLink);

        var chain = await FollowAsync(client, confirmed);
        Assert.Equal("/if/user/", chain[^1].RequestMessage!.RequestUri!.AbsolutePath);
        Assert.True((await UserAsync("email-sam")).IsActive);
    }

    [Fact]
    public async Task Verifying_before_the_user_is_written_creates_the_user_active()
    {
        var link = await InvitationLinkAsync("email-early", GlobalEmailStage("email-early"), verifyBeforeWrite: true);
        using var client = app.NewClient();

        AssertWaiting(await EnrollUntilEmailAsync(client, link, "email-eve"), "email-eve@example.com");
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "email-eve"))); // prompt_data.email was used
        using var phone = app.NewClient();
        var chain = await FollowAsync(phone, await ConfirmAsync(phone, LinkIn(MessageTo(app.Smtp, "email-eve@example.com"))));

        Assert.Equal("/if/user/", chain[^1].RequestMessage!.RequestUri!.AbsolutePath);
        Assert.True((await UserAsync("email-eve")).IsActive); // although the user write stage creates users inactive
    }

    [Fact]
    public async Task Without_activate_user_on_success_the_verified_user_stays_inactive_and_cannot_sign_in()
    {
        var link = await InvitationLinkAsync("email-noact", GlobalEmailStage("email-noact", activate: false));
        using var client = app.NewClient();
        await EnrollUntilEmailAsync(client, link, "email-ina");

        var chain = await FollowAsync(client, await ConfirmAsync(client, LinkIn(MessageTo(app.Smtp, "email-ina@example.com"))));

        Assert.Contains("not active", Denial(await TestClient.ParseAsync(chain[^1])));
        Assert.False((await UserAsync("email-ina")).IsActive);
    }

    [Fact]
    public async Task Unknown_tampered_expired_and_reused_links_get_a_clear_4xx_page()
    {
        var link = await InvitationLinkAsync("email-bad", GlobalEmailStage("email-bad"));
        using var client = app.NewClient();
        await EnrollUntilEmailAsync(client, link, "email-bob");
        var emailLink = LinkIn(MessageTo(app.Smtp, "email-bob@example.com"));
        var token = emailLink.Split("flow_token=")[1];
        using var other = app.NewClient();

        async Task AssertUnusable(string url, HttpStatusCode status, string message)
        {
            var response = await other.Http.GetAsync(url);
            var page = await PageOf(response, status);
            Assert.Equal(message, Denial(page));
            Assert.Null(page.QuerySelector("#flow-card form"));
        }

        await AssertUnusable("/if/flow/email-bad/?flow_token=not-a-real-token", HttpStatusCode.NotFound, EmailLinkMessages.Unknown);
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];
        await AssertUnusable($"/if/flow/email-bad/?flow_token={tampered}", HttpStatusCode.NotFound, EmailLinkMessages.Unknown);
        await AssertUnusable($"/if/flow/email-bad/?flow_token={new string('x', 5000)}", HttpStatusCode.NotFound, EmailLinkMessages.Unknown);
        await AssertUnusable("/if/flow/email-bad/?flow_token=", HttpStatusCode.NotFound, EmailLinkMessages.Unknown);
        Assert.Equal(HttpStatusCode.NotFound, (await other.Http.GetAsync($"/if/flow/no-such-flow/?flow_token={token}")).StatusCode);

        // Expired: the page says so, and a POST of the confirmation (page opened before it expired) does too.
        var page = await other.GetPageAsync(emailLink);
        await app.DbAsync(db => db.EmailVerifications.Where(v => v.Email == "email-bob@example.com")
            .ExecuteUpdateAsync(s => s.SetProperty(v => v.Expires, DateTime.UtcNow.AddMinutes(-1))));
        await AssertUnusable(emailLink, HttpStatusCode.Gone, EmailLinkMessages.Expired);
        var late = await other.Http.PostAsync("/if/flow/email-bad/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["flow_token"] = token, ["stage"] = StageId(page), ["__RequestVerificationToken"] = TestClient.AntiforgeryToken(page),
        }));
        Assert.Equal(EmailLinkMessages.Expired, Denial(await PageOf(late, HttpStatusCode.Gone)));

        // A new email's link works once: a second click before the flow moved on, and any click after it ended, are refused.
        var resent = await client.SubmitAsync("/if/flow/email-bad/", await client.GetPageAsync("/if/flow/email-bad/"), ("action", "resend"));
        AssertWaiting(await PageOf(resent), "email-bob@example.com");
        var fresh = LinkIn(MessageTo(app.Smtp, "email-bob@example.com", count: 2));
        (await ConfirmAsync(other, fresh)).AssertRedirect("/if/flow/email-bad/");
        await AssertUnusable(fresh, HttpStatusCode.Gone, EmailLinkMessages.Used);
        (await other.Http.GetAsync("/if/flow/email-bad/")).AssertRedirect("/if/user/");
        await AssertUnusable(fresh, HttpStatusCode.NotFound, EmailLinkMessages.Unknown);
    }

    [Fact]
    public async Task Use_global_settings_sends_through_Email_settings_and_otherwise_through_the_stages_own_server()
    {
        await using var stageSmtp = new LoopbackSmtpServer();
        var own = new EmailStage
        {
            Name = "email-own-email", UseGlobalSettings = false, Host = "127.0.0.1", Port = stageSmtp.Port, Timeout = 5,
            FromAddress = "Stage Sender <stage@example.com>", Subject = "From the stage", Template = "email/password_reset.html",
        };
        var ownLink = await InvitationLinkAsync("email-own", own);
        var globalLink = await InvitationLinkAsync("email-global", GlobalEmailStage("email-global"));
        using var a = app.NewClient();
        using var b = app.NewClient();

        await EnrollUntilEmailAsync(a, ownLink, "email-olga");
        await EnrollUntilEmailAsync(b, globalLink, "email-gus");

        var viaStage = MessageTo(stageSmtp, "email-olga@example.com");
        Assert.Equal(("stage@example.com", "Stage Sender", "From the stage"), (viaStage.From.Mailboxes.Single().Address, viaStage.From.Mailboxes.Single().Name, viaStage.Subject));
        Assert.Contains("Reset your password", viaStage.TextBody);
        LinkIn(viaStage);
        Assert.DoesNotContain(app.Smtp.Messages, m => m.To.Mailboxes.Any(x => x.Address == "email-olga@example.com"));
        MessageTo(app.Smtp, "email-gus@example.com");
        Assert.DoesNotContain(stageSmtp.Messages, m => m.To.Mailboxes.Any(x => x.Address == "email-gus@example.com"));
    }

    [Fact]
    public async Task Smtp_down_shows_a_clear_message_on_the_stage_and_try_again_sends_once_it_is_up()
    {
        var port = LoopbackSmtpServer.FreePort();
        var stage = new EmailStage { Name = "email-down-email", Host = "127.0.0.1", Port = port, Timeout = 5, FromAddress = "noreply@example.com", ActivateUserOnSuccess = true };
        var link = await InvitationLinkAsync("email-down", stage);
        using var client = app.NewClient();

        var failed = await EnrollUntilEmailAsync(client, link, "email-dan");

        Assert.Equal(EmailStageMessages.Unavailable, failed.QuerySelector("#flow-card .error[role=alert]")?.TextContent.Trim());
        Assert.Equal("Try again", failed.QuerySelector("#flow-card button[name=action][value=resend]")?.TextContent.Trim());
        Assert.Null(failed.QuerySelector("#flow-card button[value=check]"));
        Assert.Equal(0, await app.DbAsync(db => db.EmailVerifications.CountAsync(v => v.Email == "email-dan@example.com")));

        await using var smtp = new LoopbackSmtpServer(port);
        var retried = await PageOf(await client.SubmitAsync("/if/flow/email-down/", failed, ("action", "resend")));

        AssertWaiting(retried, "email-dan@example.com");
        Assert.Null(retried.QuerySelector("#flow-card .error[role=alert]"));
        using var phone = app.NewClient();
        var chain = await FollowAsync(phone, await ConfirmAsync(phone, LinkIn(MessageTo(smtp, "email-dan@example.com"))));
        Assert.Equal("/if/user/", chain[^1].RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task Send_again_sends_a_new_email_whose_link_works_and_stops_after_five_emails()
    {
        var link = await InvitationLinkAsync("email-again", GlobalEmailStage("email-again"));
        using var client = app.NewClient();
        var page = await EnrollUntilEmailAsync(client, link, "email-al");

        for (var i = 2; i <= EmailStageMessages.MaxEmails; i++)
        {
            page = await PageOf(await client.SubmitAsync("/if/flow/email-again/", page, ("action", "resend")));
            Assert.Equal(EmailStageMessages.SentAgain, page.QuerySelector("#flow-card [role=status]")?.TextContent.Trim());
            MessageTo(app.Smtp, "email-al@example.com", count: i);
        }
        Assert.Null(page.QuerySelector("#flow-card button[value=resend]"));
        page = await PageOf(await client.SubmitAsync("/if/flow/email-again/", page, ("action", "resend")));
        Assert.Equal(EmailStageMessages.TooMany, page.QuerySelector("#flow-card .error[role=alert]")?.TextContent.Trim());
        var last = MessageTo(app.Smtp, "email-al@example.com", count: EmailStageMessages.MaxEmails);

        var chain = await FollowAsync(client, await ConfirmAsync(client, LinkIn(last)));
        Assert.Equal("/if/user/", chain[^1].RequestMessage!.RequestUri!.AbsolutePath);
    }

    [Fact]
    public async Task A_flow_without_any_email_address_is_denied_with_a_clear_message()
    {
        var (flow, _) = await FlowAsync(app, "email-none", [new PromptStage { Name = "email-none-prompt", Fields = [Field("email-none", "nickname", PromptType.Text, 0)] },
            GlobalEmailStage("email-none")]);
        using var client = app.NewClient();
        var page = await client.GetPageAsync(FlowUrl(flow.Slug));
        var posted = await client.SubmitAsync(FlowUrl(flow.Slug), page, ("nickname", "nobody"));

        AssertDenied(await PageAfterAsync(client, posted), EmailStageMessages.NoAddress);
    }
}
