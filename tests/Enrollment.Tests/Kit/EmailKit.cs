using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Infrastructure.Email;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Enrollment.Tests.Kit;

/// <summary>Sending invitations by email in tests: the pages, the deliveries, the jobs, the messages.</summary>
public static class EmailKit
{
    /// <summary>Long enough for a loaded 2-core machine; the waits end as soon as the condition holds.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>
    /// An invitation of the guide's flow (<c>{slug}-inv</c>, multi-use) that can be sent; or one whose flow was taken
    /// away, or that expired at <paramref name="expires"/>, which cannot.
    /// </summary>
    public static async Task<Invitation> SendableInvitationAsync(EnrollmentApp app, string slug, DateTime? expires = null, bool withFlow = true)
    {
        var setup = await FlowKit.GuideFlowAsync(app, slug);
        var invitation = await setup.InviteAsync(app, $"{slug}-inv", singleUse: false);
        if (!withFlow || expires is not null)
            await app.DbAsync(db => db.Invitations.Where(i => i.Id == invitation.Id)
                .ExecuteUpdateAsync(u => u.SetProperty(i => i.FlowId, withFlow ? invitation.FlowId : null).SetProperty(i => i.Expires, expires)));
        return invitation;
    }

    /// <summary>A delivery of <paramref name="invitation"/> to <paramref name="email"/> that has been tried five times and is now in <paramref name="state"/>.</summary>
    public static async Task<InvitationDelivery> ArrangeDeliveryAsync(EnrollmentApp app, Invitation invitation, string email, DeliveryState state, string? error = null)
    {
        var delivery = new InvitationDelivery
        {
            InvitationId = invitation.Id, Email = email, BaseUrl = "http://localhost", State = state, Attempts = 5, LastError = error,
            LastAttempt = DateTime.UtcNow.AddMinutes(-1), NextAttempt = state == DeliveryState.Retrying ? DateTime.UtcNow.AddHours(1) : null,
        };
        await app.DbAsync(db => { db.InvitationDeliveries.Add(delivery); return db.SaveChangesAsync(); });
        return delivery;
    }

    /// <summary>Fills the send form on the invitation's page and posts it, as a browser without JavaScript does.</summary>
    public static Task<HttpResponseMessage> SendFromPageAsync(this TestClient admin, Guid invitationId, string addresses,
        string cc = "", string bcc = "", string template = "") =>
        admin.PostFormAsync(InvitationPages.DetailsUrl(invitationId),
            [new("Input.Addresses", addresses), new("Input.Cc", cc), new("Input.Bcc", bcc), new("Input.Template", template)],
            InvitationPages.SendUrl(invitationId));

    public static Task<List<InvitationDelivery>> DeliveriesAsync(this EnrollmentApp app, Guid invitationId) =>
        app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().Where(d => d.InvitationId == invitationId).OrderBy(d => d.Email).ToListAsync());

    public static Task<InvitationDelivery> DeliveryAsync(this EnrollmentApp app, Guid invitationId, string email) =>
        app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().SingleAsync(d => d.InvitationId == invitationId && d.Email == email));

    /// <summary>Waits until the delivery's row satisfies <paramref name="until"/> (the job runs on the app's Hangfire server).</summary>
    public static async Task<InvitationDelivery> WaitForDeliveryAsync(this EnrollmentApp app, Guid deliveryId, Func<InvitationDelivery, bool> until, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var d = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().SingleAsync(x => x.Id == deliveryId));
            if (until(d)) return d;
            if (DateTime.UtcNow > deadline)
                throw new Xunit.Sdk.XunitException($"The delivery to {d.Email} never became {what}: it is {d.State}, {d.Attempts} attempt(s), error {d.LastError ?? "none"}.");
            await Task.Delay(100);
        }
    }

    public static Task<InvitationDelivery> WaitForStateAsync(this EnrollmentApp app, Guid deliveryId, DeliveryState state, int attempts) =>
        app.WaitForDeliveryAsync(deliveryId, d => d.State == state && d.Attempts == attempts, $"{state} after {attempts} attempt(s)");

    /// <summary>Waits for the <paramref name="count"/>th message to <paramref name="to"/>; other tests' messages do not count.</summary>
    public static async Task<MimeMessage> WaitForMessageToAsync(this LoopbackSmtpServer smtp, string to, int count = 1)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var messages = smtp.Messages.Where(m => m.To.Mailboxes.Any(a => a.Address == to)).ToList();
            if (messages.Count >= count) return messages[count - 1];
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Expected {count} message(s) to {to}, received {messages.Count}.");
            await Task.Delay(50);
        }
    }

    public static Task<List<Event>> EventsAsync(this EnrollmentApp app, string action, Guid invitationId) =>
        app.DbAsync(async db => (await db.Events.AsNoTracking().Where(e => e.Action == action).OrderBy(e => e.Created).ToListAsync())
            .Where(e => (string?)e.Context["invitation"]?["pk"] == invitationId.ToString()).ToList());

    /// <summary>The row of the deliveries table for <paramref name="email"/>.</summary>
    public static IElement Row(IHtmlDocument page, string email)
    {
        var rows = page.QuerySelectorAll("#deliveries tbody tr").Where(r => r.QuerySelector("td")!.TextContent.Trim().StartsWith(email, StringComparison.Ordinal)).ToList();
        Assert.True(rows.Count == 1, $"Expected one row for {email}: " + TestClient.Excerpt(page.QuerySelector("#deliveries")?.OuterHtml ?? "(no #deliveries)"));
        return rows[0];
    }

    public static string State(IElement row) => row.QuerySelector(".delivery-state .badge")!.TextContent.Trim();

    // ---- the app's Hangfire storage ----

    private static IMonitoringApi Monitoring(EnrollmentApp app) => app.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

    private static bool Carries(Hangfire.Common.Job? job, Guid deliveryId) =>
        job?.Type == typeof(InvitationDeliveryJob) && job.Args.Count > 0 && job.Args[0] is Guid[] ids && ids.Contains(deliveryId);

    /// <summary>Delivery jobs waiting in the queue (nobody runs them when the app has no Hangfire server).</summary>
    public static List<Guid[]> EnqueuedDeliveryJobs(this EnrollmentApp app) =>
        Monitoring(app).EnqueuedJobs("default", 0, 1000)
            .Where(j => j.Value.Job?.Type == typeof(InvitationDeliveryJob))
            .Select(j => (Guid[])j.Value.Job.Args[0]).ToList();

    /// <summary>Ids of the retry jobs scheduled for <paramref name="deliveryId"/>.</summary>
    public static List<string> ScheduledJobsFor(this EnrollmentApp app, Guid deliveryId) =>
        Monitoring(app).ScheduledJobs(0, 1000).Where(j => Carries(j.Value.Job, deliveryId)).Select(j => j.Key).ToList();

    /// <summary>The dashboard's "Enqueue now" for a scheduled job: the app's Hangfire server then runs it.</summary>
    public static void TriggerNow(this EnrollmentApp app, string jobId) =>
        Assert.True(app.Services.GetRequiredService<IBackgroundJobClient>().Requeue(jobId), $"Job {jobId} could not be enqueued.");

    /// <summary>Sends the run's queued emails as the Hangfire jobs would: batches of 100, each in its own scope.</summary>
    public static async Task RunDeliveriesAsync(this EnrollmentApp app, Guid runId)
    {
        var ids = await app.DbAsync(db => db.InvitationDeliveries.Where(d => d.BulkInvitationId == runId).Select(d => d.Id).ToListAsync());
        foreach (var batch in ids.Chunk(InvitationDeliveryQueue.BatchSize))
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<InvitationDeliveryJob>().SendAsync(batch, CancellationToken.None);
        }
    }

    /// <summary>Jobs of any kind waiting in the default queue.</summary>
    public static long EnqueuedJobs(this EnrollmentApp app) => Monitoring(app).EnqueuedCount("default");
}
