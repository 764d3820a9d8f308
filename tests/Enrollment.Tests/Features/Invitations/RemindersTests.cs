using System.Net;
using Enrollment.Domain;
using Enrollment.Features.Invitations.RemindInvitations;
using Enrollment.Tests.Features.Api;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Mediator;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.EmailKit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>
/// Reminders: scheduled with the invitation email, sent on their day to recipients who have not enrolled, cancelled
/// otherwise, never twice. The app's clock is moved by the test (no sleeps); the delivery job, MailKit and a real SMTP
/// server on loopback send what is due.
/// </summary>
public sealed class RemindersTests(RemindersTests.ReminderApp app) : IClassFixture<RemindersTests.ReminderApp>
{
    private static readonly DateTimeOffset Start = new(2030, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public sealed class ReminderApp() : EnrollmentApp(new HostConfiguration { Mail = HostConfiguration.MailServer.Listening, JobServer = true })
    {
        public MovableClock Clock { get; } = new(Start);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
        }
    }

    public sealed class MovableClock(DateTimeOffset now) : TimeProvider
    {
        private long _ticks = now.UtcTicks;
        public DateTimeOffset Now { get => new(Interlocked.Read(ref _ticks), TimeSpan.Zero); set => Interlocked.Exchange(ref _ticks, value.UtcTicks); }
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private async Task<(int Queued, int Cancelled)> RunAsync(DateTimeOffset at)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SendDueReminders.Command(at.UtcDateTime));
    }

    private Task<List<InvitationDelivery>> RemindersAsync(Guid invitationId) =>
        app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().Where(d => d.InvitationId == invitationId && d.IsReminder).OrderBy(d => d.Email).ToListAsync());

    [Fact]
    public async Task A_reminder_goes_on_its_day_to_who_has_not_enrolled_and_is_cancelled_for_who_has_never_twice()
    {
        app.Clock.Now = Start;
        var p = ApiJsonClient.Unique("rem");
        var invitation = await SendableInvitationAsync(app, p, expires: Start.UtcDateTime.AddDays(30));
        using var api = app.ApiClient();
        await api.SendJsonAsync(HttpMethod.Post, $"/api/v3/stages/invitation/invitations/{invitation.Id}/send_email/",
            $$"""{"email_addresses":["{{p}}-ann@example.com","{{p}}-bob@example.com"],"remind_after_days":3}""", HttpStatusCode.NoContent);
        await app.Smtp.WaitForMessageToAsync($"{p}-ann@example.com");
        await app.Smtp.WaitForMessageToAsync($"{p}-bob@example.com");

        var reminders = await RemindersAsync(invitation.Id);
        Assert.Equal(2, reminders.Count);
        Assert.All(reminders, r => Assert.Equal((DeliveryState.Scheduled, Start.UtcDateTime.AddDays(3)), (r.State, r.NextAttempt)));
        using (var admin = await app.AdminClientAsync())
        {
            var page = await admin.GetPageAsync(InvitationPages.DetailsUrl(invitation.Id));
            Assert.Equal(2, page.QuerySelectorAll(".delivery-state .badge").Count(b => b.TextContent.Trim() == "Reminder scheduled"));
        }

        // Not yet due.
        await RunAsync(Start.AddDays(2));
        Assert.All(await RemindersAsync(invitation.Id), r => Assert.Equal(DeliveryState.Scheduled, r.State));
        // Bob enrolls on day 1 (an account with his address joins after the invitation was sent).
        await app.AddUserAsync($"{p}-bob", u => { u.Email = $"{p}-bob@example.com"; u.NormalizedEmail = u.Email.ToUpperInvariant(); u.DateJoined = Start.UtcDateTime.AddDays(1); });

        app.Clock.Now = Start.AddDays(3);
        await RunAsync(Start.AddDays(3));
        var reminder = await app.Smtp.WaitForMessageToAsync($"{p}-ann@example.com", count: 2);
        Assert.StartsWith("Reminder: you have been invited to", reminder.Subject);
        Assert.Contains($"?itoken={invitation.Id}", reminder.TextBody);
        reminders = await RemindersAsync(invitation.Id);
        var ann = await app.WaitForDeliveryAsync(reminders[0].Id, d => d.State == DeliveryState.Sent, "the reminder sent");
        Assert.Equal(DeliveryState.Cancelled, reminders[1].State);
        Assert.Equal("The recipient enrolled before the reminder was due.", reminders[1].LastError);

        // Later runs (another instance, after a restart) find nothing left to send for this invitation.
        await RunAsync(Start.AddDays(10));
        Assert.Equal([DeliveryState.Sent, DeliveryState.Cancelled], (await RemindersAsync(invitation.Id)).Select(r => r.State));
        await Task.Delay(300);
        Assert.Equal(2, app.Smtp.Messages.Count(m => m.To.Mailboxes.Any(a => a.Address == $"{p}-ann@example.com")));
        Assert.Single(app.Smtp.Messages, m => m.To.Mailboxes.Any(a => a.Address == $"{p}-bob@example.com"));
        Assert.Equal(1, ann.Attempts);
    }

    [Fact]
    public async Task Two_runs_at_once_queue_each_reminder_once()
    {
        app.Clock.Now = Start;
        var p = ApiJsonClient.Unique("race");
        var invitation = await SendableInvitationAsync(app, p, expires: Start.UtcDateTime.AddDays(30));
        var addresses = Enumerable.Range(0, 20).Select(i => $"{p}-{i}@example.com").ToList();
        using var api = app.ApiClient();
        await api.SendJsonAsync(HttpMethod.Post, $"/api/v3/stages/invitation/invitations/{invitation.Id}/send_email/",
            $$"""{"email_addresses":[{{string.Join(",", addresses.Select(a => $"\"{a}\""))}}],"remind_after_days":1}""", HttpStatusCode.NoContent);

        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => RunAsync(Start.AddDays(1))));
        Assert.Equal(20, runs.Sum(r => r.Queued));
        foreach (var address in addresses) await app.Smtp.WaitForMessageToAsync(address, count: 2);
        await Task.Delay(500);
        Assert.All(addresses, a => Assert.Equal(2, app.Smtp.Messages.Count(m => m.To.Mailboxes.Any(x => x.Address == a))));
    }

    [Fact]
    public async Task A_reminder_of_an_invitation_that_expired_or_was_deleted_is_not_sent()
    {
        app.Clock.Now = Start;
        var p = ApiJsonClient.Unique("gone");
        var expiring = await SendableInvitationAsync(app, p + "-x", expires: Start.UtcDateTime.AddDays(2));
        var deleted = await SendableInvitationAsync(app, p + "-d", expires: Start.UtcDateTime.AddDays(30));
        using var api = app.ApiClient();
        foreach (var i in new[] { expiring, deleted })
            await api.SendJsonAsync(HttpMethod.Post, $"/api/v3/stages/invitation/invitations/{i.Id}/send_email/",
                $$"""{"email_addresses":["{{p}}-{{i.Name}}@example.com"],"remind_after_days":5}""", HttpStatusCode.NoContent);
        await api.SendJsonAsync(HttpMethod.Delete, $"/api/v3/stages/invitation/invitations/{deleted.Id}/", null, HttpStatusCode.NoContent);
        Assert.Empty(await RemindersAsync(deleted.Id));

        await RunAsync(Start.AddDays(5));
        var reminder = Assert.Single(await RemindersAsync(expiring.Id));
        Assert.Equal((DeliveryState.Cancelled, "The invitation expired before the reminder was due."), (reminder.State, reminder.LastError));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("366")]
    [InlineData("\"soon\"")]
    public async Task A_bad_reminder_delay_is_a_400_and_nothing_is_queued(string days)
    {
        var p = ApiJsonClient.Unique("bad");
        var invitation = await SendableInvitationAsync(app, p);
        using var api = app.ApiClient();
        var (status, json) = await api.SendJsonAsync(HttpMethod.Post, $"/api/v3/stages/invitation/invitations/{invitation.Id}/send_email/",
            $$"""{"email_addresses":["{{p}}@example.com"],"remind_after_days":{{days}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(json!["remind_after_days"]);
        Assert.Empty(await app.DeliveriesAsync(invitation.Id));
    }

    [Fact]
    public async Task The_admin_send_form_schedules_reminders_and_refuses_a_bad_delay()
    {
        app.Clock.Now = Start;
        var p = ApiJsonClient.Unique("form");
        var invitation = await SendableInvitationAsync(app, p, expires: Start.UtcDateTime.AddDays(30));
        using var admin = await app.AdminClientAsync();
        var bad = await admin.PostFormAsync($"/if/admin/invitations/{invitation.Id}/send/", ("Input.Addresses", $"{p}@example.com"), ("Input.RemindAfterDays", "400"));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("Remind after 1 to 365 days", await bad.Content.ReadAsStringAsync());
        Assert.Empty(await app.DeliveriesAsync(invitation.Id));

        var ok = await admin.PostFormAsync($"/if/admin/invitations/{invitation.Id}/send/", ("Input.Addresses", $"{p}@example.com"), ("Input.RemindAfterDays", "7"));
        ok.AssertRedirect(InvitationPages.DetailsUrl(invitation.Id));
        var reminder = Assert.Single(await RemindersAsync(invitation.Id));
        Assert.Equal(Start.UtcDateTime.AddDays(7), reminder.NextAttempt);
    }
}
