using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using SmtpServer.Protocol;
using static Enrollment.Tests.Kit.EmailKit;
using static Enrollment.Tests.Kit.FlowKit;
using static Enrollment.Tests.Kit.InvitationPages;

namespace Enrollment.Tests.Infrastructure.Email;

/// <summary>
/// The whole path with nothing stubbed: the admin's form, the queue, the app's own Hangfire server running the
/// delivery job, MailKit, and a real SMTP server on loopback; then the invitee follows the link in the email.
/// </summary>
public sealed class InvitationDeliveryTests(Hosts.WithSmtpAndJobs app) : IClassFixture<Hosts.WithSmtpAndJobs>
{
    /// <summary>An invitation created through the admin form, so its inviter is akadmin.</summary>
    private async Task<(GuideFlow Setup, Invitation Invitation)> InvitationAsync(TestClient admin, string slug, string expires = "")
    {
        var setup = await GuideFlowAsync(app, slug);
        var created = await admin.PostFormAsync("/if/admin/invitations/new/",
            ("Input.Name", $"{slug}-inv"), ("Input.FlowSlug", slug), ("Input.Expires", expires), ("Input.SingleUse", "true"));
        created.AssertRedirect("/if/admin/invitations/");
        return (setup, await app.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Name == $"{slug}-inv")));
    }

    [Fact]
    public async Task Admin_sends_from_the_page_the_email_arrives_with_link_expiry_and_inviter_and_the_invitee_enrolls_through_it()
    {
        using var admin = await app.AdminClientAsync();
        var (_, invitation) = await InvitationAsync(admin, "mail-journey", expires: "2099-01-31T17:30");

        var response = await admin.SendFromPageAsync(invitation.Id, "jane.journey@example.com");
        response.AssertRedirect(DetailsUrl(invitation.Id));

        var message = await app.Smtp.WaitForMessageToAsync("jane.journey@example.com");
        Assert.Equal("You have been invited to localhost", message.Subject);
        Assert.Equal("enrollment@example.com", message.From.Mailboxes.Single().Address);
        Assert.Equal(["jane.journey@example.com"], message.To.Mailboxes.Select(m => m.Address));
        var link = $"http://localhost/if/flow/mail-journey/?itoken={invitation.Id}";
        // Both parts: HTML (the link as a button and in full) and plain text.
        Assert.NotNull(message.HtmlBody);
        Assert.NotNull(message.TextBody);
        Assert.Contains($"href=\"{link}\"", message.HtmlBody);
        Assert.Contains(link, message.TextBody);
        // The date as English writes it (the brand's language; see InvitationEmailLanguageTests for others).
        var expiry = new DateTime(2099, 1, 31, 17, 30, 0, DateTimeKind.Utc);
        var english = System.Globalization.CultureInfo.GetCultureInfo("en");
        var expires = $"The invitation expires on Saturday, January 31, 2099 at {expiry.ToString("t", english)} UTC.";
        Assert.Contains(expires, WebUtility.HtmlDecode(message.HtmlBody)); // "5:30 PM" has a narrow no-break space, encoded in HTML
        Assert.Contains(expires, message.TextBody);
        Assert.Contains("authentik Default Admin has invited you to create an account on localhost.", message.HtmlBody);
        Assert.Contains("authentik Default Admin has invited you to create an account on localhost.", message.TextBody);

        // The admin's page shows the recipient as sent.
        var delivery = await app.DeliveryAsync(invitation.Id, "jane.journey@example.com");
        delivery = await app.WaitForStateAsync(delivery.Id, DeliveryState.Sent, attempts: 1);
        Assert.NotNull(delivery.Sent);
        Assert.Null(delivery.LastError);
        var page = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        var row = Row(page, "jane.journey@example.com");
        Assert.Equal("Sent", State(row));
        var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal("1", cells[2]);
        Assert.Equal(delivery.LastAttempt!.Value.ToString("yyyy-MM-dd HH:mm:ss"), cells[3]);
        Assert.Equal(delivery.Sent!.Value.ToString("yyyy-MM-dd HH:mm:ss"), cells[4]);
        Assert.Equal("deliveries-changed from:body", page.QuerySelector("#deliveries")!.GetAttribute("hx-trigger")); // nothing pending: no polling

        // The invitee follows the link from the email through the enrollment flow.
        using var invitee = app.NewClient();
        await invitee.EnrollToTheEndAsync(new Uri(link).PathAndQuery, Answers("jane-journey", email: "jane.journey@example.com"));
        var user = await UserAsync(app, "jane-journey");
        Assert.NotNull(user);
        Assert.Equal("jane.journey@example.com", user!.Email);
        Assert.Equal(1, await UsesAsync(app, invitation.Id));
    }

    [Fact]
    public async Task A_permanent_refusal_fails_that_recipient_with_the_reason_and_the_others_are_sent()
    {
        app.Smtp.Answer = m => m.To.Mailboxes.Any(a => a.Address == "gone.perm@example.com")
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "mailbox gone.perm unavailable")
            : SmtpResponse.Ok;
        using var admin = await app.AdminClientAsync();
        var (_, invitation) = await InvitationAsync(admin, "mail-perm");

        (await admin.SendFromPageAsync(invitation.Id, "gone.perm@example.com\nok.perm@example.com")).AssertRedirect(DetailsUrl(invitation.Id));
        var gone = await app.WaitForStateAsync((await app.DeliveryAsync(invitation.Id, "gone.perm@example.com")).Id, DeliveryState.Failed, attempts: 1);
        await app.WaitForStateAsync((await app.DeliveryAsync(invitation.Id, "ok.perm@example.com")).Id, DeliveryState.Sent, attempts: 1);
        await app.Smtp.WaitForMessageToAsync("ok.perm@example.com");
        Assert.Contains("550", gone.LastError);
        Assert.Contains("mailbox gone.perm unavailable", gone.LastError);
        Assert.Null(gone.NextAttempt); // no retry for a permanent answer

        var page = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        var row = Row(page, "gone.perm@example.com");
        Assert.Equal("Failed", State(row));
        Assert.Equal(gone.LastError, row.QuerySelector(".delivery-error")!.TextContent.Trim());
        Assert.NotNull(row.QuerySelector($"form[action='{ResendUrl(invitation.Id, gone.Id)}'] button"));

        var failed = Assert.Single(await app.EventsAsync("invitation_send_failed", invitation.Id));
        Assert.Equal("akadmin", (string?)failed.User["username"]);
        Assert.Equal("gone.perm@example.com", (string?)failed.Context["email"]);
        Assert.Contains("mailbox gone.perm unavailable", (string?)failed.Context["error"]);
        app.Smtp.Answer = _ => SmtpResponse.Ok;
    }

    [Fact]
    public async Task Resend_puts_a_recipient_back_in_the_queue_and_records_a_new_invitation_sent_in_the_name_of_who_resent()
    {
        app.Smtp.Answer = m => m.To.Mailboxes.Any(a => a.Address == "again@example.com")
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "try another day")
            : SmtpResponse.Ok;
        using var admin = await app.AdminClientAsync();
        var (_, invitation) = await InvitationAsync(admin, "mail-resend");
        (await admin.SendFromPageAsync(invitation.Id, "again@example.com")).AssertRedirect(DetailsUrl(invitation.Id));
        var delivery = await app.WaitForStateAsync((await app.DeliveryAsync(invitation.Id, "again@example.com")).Id, DeliveryState.Failed, attempts: 1);

        // The mailbox is back. The Resend button is a plain form (no JavaScript): confirmation-free post, redirect, flash.
        app.Smtp.Answer = _ => SmtpResponse.Ok;
        var resend = ResendUrl(invitation.Id, delivery.Id);
        var response = await admin.PostFormAsync(DetailsUrl(invitation.Id), [], resend);
        response.AssertRedirect(DetailsUrl(invitation.Id));
        var flash = (await admin.GetPageAsync(DetailsUrl(invitation.Id))).QuerySelector(".flash")!.TextContent.Trim();
        Assert.Equal("The invitation email to again@example.com is queued again.", flash);

        await app.Smtp.WaitForMessageToAsync("again@example.com");
        delivery = await app.WaitForStateAsync(delivery.Id, DeliveryState.Sent, attempts: 1); // attempts start over
        Assert.Null(delivery.LastError);
        var sent = Assert.Single(await app.EventsAsync("invitation_sent", invitation.Id));
        Assert.Equal("akadmin", (string?)sent.User["username"]);

        // A sent email can be resent too — here with htmx: no content, and the event that reloads the table.
        var page = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        using (var request = new HttpRequestMessage(HttpMethod.Post, resend)
               {
                   Content = new FormUrlEncodedContent([new("__RequestVerificationToken", TestClient.AntiforgeryToken(page, DetailsUrl(invitation.Id), resend))]),
               })
        {
            request.Headers.Add("HX-Request", "true");
            var htmx = await admin.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NoContent, htmx.StatusCode);
            Assert.Equal("deliveries-changed", Assert.Single(htmx.Headers.GetValues("HX-Trigger")));
        }
        await app.Smtp.WaitForMessageToAsync("again@example.com", count: 2);
        await app.WaitForDeliveryAsync(delivery.Id, d => d.State == DeliveryState.Sent && d.Sent > delivery.Sent, "sent a second time");
        await WaitForAsync(async () => (await app.EventsAsync("invitation_sent", invitation.Id)).Count == 2, "a second invitation_sent");
    }

    [Fact]
    public async Task Events_of_sent_and_failed_emails_show_under_Events_with_actor_and_invitation()
    {
        app.Smtp.Answer = m => m.To.Mailboxes.Any(a => a.Address == "refused.events@example.com")
            ? new SmtpResponse(SmtpReplyCode.MailboxUnavailable, "no such user")
            : SmtpResponse.Ok;
        using var admin = await app.AdminClientAsync();
        var (_, invitation) = await InvitationAsync(admin, "mail-events");
        (await admin.SendFromPageAsync(invitation.Id, "seen.events@example.com, refused.events@example.com")).AssertRedirect(DetailsUrl(invitation.Id));
        await app.WaitForStateAsync((await app.DeliveryAsync(invitation.Id, "seen.events@example.com")).Id, DeliveryState.Sent, 1);
        await app.WaitForStateAsync((await app.DeliveryAsync(invitation.Id, "refused.events@example.com")).Id, DeliveryState.Failed, 1);
        app.Smtp.Answer = _ => SmtpResponse.Ok;

        foreach (var (action, email) in new[] { ("invitation_sent", "seen.events@example.com"), ("invitation_send_failed", "refused.events@example.com") })
        {
            var e = Assert.Single(await app.EventsAsync(action, invitation.Id));
            Assert.Equal("akadmin", (string?)e.User["username"]);
            Assert.NotNull((int?)e.User["pk"]);
            Assert.Equal("mail-events-inv", (string?)e.Context["invitation"]!["name"]);
            Assert.Equal(email, (string?)e.Context["email"]);

            var events = await admin.GetPageAsync($"/if/admin/events/?action={action}");
            var row = events.QuerySelectorAll("#event-rows tbody tr").Single(r => r.TextContent.Contains(invitation.Id.ToString()) && r.TextContent.Contains(email));
            var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
            Assert.Equal(action, cells[0]);
            Assert.Equal("akadmin", cells[1]);
        }
    }

    [Fact]
    public async Task Send_email_through_the_api_is_delivered_in_the_name_of_the_tokens_user()
    {
        using var admin = await app.AdminClientAsync();
        var (_, invitation) = await InvitationAsync(admin, "mail-api");
        using var api = app.ApiClient();
        var (status, _) = await api.SendJsonAsync(HttpMethod.Post, $"{InvitationsApiClient.List}{invitation.Id}/send_email/",
            """{"email_addresses": ["api.mail@example.com"], "cc_addresses": ["cc.mail@example.com"], "template": "email/invitation.html"}""");
        Assert.Equal(HttpStatusCode.NoContent, status);

        var message = await app.Smtp.WaitForMessageToAsync("api.mail@example.com");
        Assert.Equal(["cc.mail@example.com"], message.Cc.Mailboxes.Select(m => m.Address));
        Assert.Equal("You have been invited to localhost", message.Subject);
        var delivery = await app.WaitForStateAsync((await app.DeliveryAsync(invitation.Id, "api.mail@example.com")).Id, DeliveryState.Sent, 1);
        Assert.Equal((await app.AdminAsync()).Id, delivery.RequestedById);
        await WaitForAsync(async () => (await app.EventsAsync("invitation_sent", invitation.Id)).Any(e => (string?)e.User["username"] == "akadmin"),
            "invitation_sent by akadmin");
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException($"Never saw {what}.");
            await Task.Delay(100);
        }
    }
}
