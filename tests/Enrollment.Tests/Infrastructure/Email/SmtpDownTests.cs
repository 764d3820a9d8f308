using Enrollment.Domain;
using Enrollment.Infrastructure.Email;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Kit.EmailKit;
using static Enrollment.Tests.Kit.FlowKit;
using static Enrollment.Tests.Kit.InvitationPages;

namespace Enrollment.Tests.Infrastructure.Email;

/// <summary>The SMTP server is down when the admin sends: the email waits (state, error and next attempt on the page), and goes out once the server is back.</summary>
public sealed class SmtpDownTests(Hosts.WithSmtpDownAndJobs app) : IClassFixture<Hosts.WithSmtpDownAndJobs>
{
    [Fact]
    public async Task With_no_smtp_server_listening_the_email_is_retried_with_the_error_shown_and_sent_once_the_server_is_up()
    {
        var setup = await GuideFlowAsync(app, "mail-down");
        var invitation = await setup.InviteAsync(app, "mail-down-inv");
        using var admin = await app.AdminClientAsync();

        (await admin.SendFromPageAsync(invitation.Id, "late@example.com")).AssertRedirect(DetailsUrl(invitation.Id));
        var delivery = await app.DeliveryAsync(invitation.Id, "late@example.com");
        delivery = await app.WaitForStateAsync(delivery.Id, DeliveryState.Retrying, attempts: 1);
        Assert.StartsWith("Cannot connect:", delivery.LastError);
        // The first delay of the back-off, counted from when the connection failed.
        Assert.InRange(delivery.NextAttempt!.Value, delivery.LastAttempt!.Value + InvitationDeliveryJob.Backoff[0],
            delivery.LastAttempt.Value + InvitationDeliveryJob.Backoff[0] + EmailKit.Patience);
        Assert.Null(delivery.Sent);
        Assert.Empty(await app.EventsAsync("invitation_send_failed", invitation.Id)); // not failed: waiting

        // The page says so: retrying, when, and why; the table keeps polling.
        var page = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        var row = Row(page, "late@example.com");
        Assert.Equal("Retrying", State(row));
        Assert.Equal($"next attempt {delivery.NextAttempt!.Value:yyyy-MM-dd HH:mm:ss} UTC", row.QuerySelector(".next-attempt")!.TextContent.Trim());
        Assert.Equal(delivery.LastError, row.QuerySelector(".delivery-error")!.TextContent.Trim());
        Assert.Equal("deliveries-changed from:body, every 2s", page.QuerySelector("#deliveries")!.GetAttribute("hx-trigger"));

        // Nothing is lost: the retry is a scheduled job. The server comes up; the retry is run now rather than in
        // 30 s (the dashboard's "Enqueue now"), and the app's Hangfire server picks it up.
        var retry = Assert.Single(app.ScheduledJobsFor(delivery.Id));
        await using var smtp = new LoopbackSmtpServer(app.SmtpPort);
        app.TriggerNow(retry);

        var message = await smtp.WaitForMessageToAsync("late@example.com");
        Assert.Equal("You have been invited to localhost", message.Subject);
        delivery = await app.WaitForStateAsync(delivery.Id, DeliveryState.Sent, attempts: 2);
        Assert.Null(delivery.LastError);
        Assert.Null(delivery.NextAttempt);
        Assert.Single(await app.EventsAsync("invitation_sent", invitation.Id));
        Assert.Equal("Sent", State(Row(await admin.GetPageAsync(DetailsUrl(invitation.Id)), "late@example.com")));
    }
}
