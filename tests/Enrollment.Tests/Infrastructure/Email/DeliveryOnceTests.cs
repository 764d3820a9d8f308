using Enrollment.Domain;
using Enrollment.Features.Invitations.QueueInvitationEmails;
using Enrollment.Infrastructure.Email;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SmtpServer.Protocol;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Email;

/// <summary>
/// The invitation delivery job records each recipient as soon as the SMTP server has answered it and takes each
/// recipient before sending, so overlapping runs of one batch (a job taken again after a crash, a retry meeting a
/// resend) send each recipient once; long runs hand their rest to a new job; the retry back-off is configurable.
/// The jobs are run by hand here (no Hangfire server), so each run is seen on its own.
/// </summary>
public sealed class DeliveryOnceTests
{
    [Fact]
    public async Task Two_runs_of_the_same_batch_at_once_send_each_recipient_exactly_one_message()
    {
        await using var smtp = new LoopbackSmtpServer { Answer = _ => { Thread.Sleep(10); return SmtpResponse.Ok; } };
        await using var app = new Hosts.WithSettings(smtp.Settings);
        var (invitation, ids) = await QueueAsync(app, 30);

        await Task.WhenAll(RunAsync(app, ids), RunAsync(app, ids));

        await Task.Delay(300); // a duplicate would still be on its way
        var received = smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).ToList();
        Assert.Equal(30, received.Count);
        Assert.Equal(30, received.Distinct().Count());
        var rows = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().Where(d => d.InvitationId == invitation).ToListAsync());
        Assert.All(rows, d =>
        {
            Assert.Equal(DeliveryState.Sent, d.State);
            Assert.Equal(1, d.Attempts);
            Assert.Null(d.ClaimedUntil);
        });
        Assert.Equal(30, await app.DbAsync(db => db.Events.CountAsync(e => e.Action == "invitation_sent")));
    }

    [Fact]
    public async Task A_recipient_held_by_another_run_is_left_to_it_until_its_lease_ends_and_one_left_by_a_dead_run_is_sent()
    {
        await using var smtp = new LoopbackSmtpServer();
        await using var app = new Hosts.WithSettings(smtp.Settings);
        var (_, ids) = await QueueAsync(app, 3);
        var (held, abandoned) = (ids[0], ids[1]);
        var now = DateTime.UtcNow;
        await app.DbAsync(async db =>
        {
            await db.InvitationDeliveries.Where(d => d.Id == held).ExecuteUpdateAsync(u => u
                .SetProperty(d => d.State, DeliveryState.Sending).SetProperty(d => d.Attempts, 1).SetProperty(d => d.ClaimedUntil, now.AddMinutes(1)));
            await db.InvitationDeliveries.Where(d => d.Id == abandoned).ExecuteUpdateAsync(u => u
                .SetProperty(d => d.State, DeliveryState.Sending).SetProperty(d => d.Attempts, 1).SetProperty(d => d.ClaimedUntil, now.AddSeconds(-1)));
        });

        await RunAsync(app, ids);

        var rows = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id));
        Assert.Equal(DeliveryState.Sending, rows[held].State); // its run is alive as far as anyone knows
        Assert.Equal(DeliveryState.Sent, rows[abandoned].State);
        Assert.Equal(2, rows[abandoned].Attempts);
        Assert.Equal(DeliveryState.Sent, rows[ids[2]].State);
        Assert.Equal(2, smtp.Messages.Count);
        Assert.DoesNotContain(rows[held].Email, smtp.Messages.Select(m => m.To.Mailboxes.Single().Address));
        // Looked at again when the lease ends, in case its run died.
        var scheduled = Assert.Single(ScheduledDeliveryJobs(app), j => j.Ids.Contains(held));
        Assert.InRange(scheduled.At, now.AddMinutes(1), now.AddMinutes(1).AddSeconds(5));
    }

    [Fact]
    public async Task A_run_past_its_time_budget_hands_the_rest_to_a_new_job_which_sends_each_remaining_recipient_once()
    {
        await using var smtp = new LoopbackSmtpServer { Answer = _ => { Thread.Sleep(100); return SmtpResponse.Ok; } };
        // Invisibility timeout 1 s: a run may go on for half of it.
        await using var app = new Hosts.WithSettings(new Dictionary<string, string?>(smtp.Settings) { ["Jobs:InvisibilityTimeout"] = "00:00:01" });
        var (invitation, ids) = await QueueAsync(app, 20);
        var seen = EnqueuedDeliveryJobs(app).Select(j => j.Id).ToHashSet(); // the batch as queued; run by hand below

        await RunAsync(app, ids);

        var first = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().Where(d => d.InvitationId == invitation).ToListAsync());
        var sent = first.Where(d => d.State == DeliveryState.Sent).Select(d => d.Id).ToList();
        Assert.InRange(sent.Count, 1, 15);
        // What the run took and had no time to send is given back as it was: queued, no attempt counted, not held.
        Assert.All(first.Where(d => d.State != DeliveryState.Sent), d =>
        {
            Assert.Equal(DeliveryState.Queued, d.State);
            Assert.Equal(0, d.Attempts);
            Assert.Null(d.ClaimToken);
            Assert.Null(d.ClaimedUntil);
        });
        var continuation = Assert.Single(EnqueuedDeliveryJobs(app), j => !seen.Contains(j.Id));
        Assert.Equal(ids.Except(sent).Order(), continuation.Ids.Order());

        // The continuations, each run like a worker would, until none is left.
        for (var next = continuation; next.Id is not null; next = EnqueuedDeliveryJobs(app).FirstOrDefault(j => !seen.Contains(j.Id)))
        {
            seen.Add(next.Id);
            await RunAsync(app, next.Ids);
        }
        var addresses = smtp.Messages.Select(m => m.To.Mailboxes.Single().Address).ToList();
        Assert.Equal(20, addresses.Count);
        Assert.Equal(20, addresses.Distinct().Count());
    }

    [Fact]
    public async Task Transient_failures_are_retried_along_Email_RetrySchedule_and_fail_after_its_last_delay()
    {
        var closed = LoopbackSmtpServer.FreePort(); // nothing listens here
        await using var app = new Hosts.WithSettings(new Dictionary<string, string?>
        {
            ["Email:Host"] = "127.0.0.1", ["Email:Port"] = closed.ToString(), ["Email:From"] = "enrollment@example.com", ["Email:Timeout"] = "2",
            ["Email:RetrySchedule"] = "00:00:07, 00:03:00",
        });
        var (invitation, ids) = await QueueAsync(app, 1);

        await RunAsync(app, ids);
        var d = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().SingleAsync(x => x.Id == ids[0]));
        Assert.Equal((DeliveryState.Retrying, 1), (d.State, d.Attempts));
        Assert.InRange((d.NextAttempt!.Value - d.LastAttempt!.Value).TotalSeconds, 7, 8);

        await RunAsync(app, ids); // the scheduled retry, run now
        d = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().SingleAsync(x => x.Id == ids[0]));
        Assert.Equal((DeliveryState.Retrying, 2), (d.State, d.Attempts));
        Assert.InRange((d.NextAttempt!.Value - d.LastAttempt!.Value).TotalSeconds, 180, 181);

        await RunAsync(app, ids);
        d = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().SingleAsync(x => x.Id == ids[0]));
        Assert.Equal((DeliveryState.Failed, 3), (d.State, d.Attempts));
        Assert.StartsWith("Cannot connect", d.LastError);
        Assert.Null(d.NextAttempt);
        Assert.Equal(1, await app.DbAsync(db => db.Events.CountAsync(e => e.Action == "invitation_send_failed")));
    }

    [Fact]
    public void Email_RetrySchedule_is_read_as_a_list_or_one_comma_separated_value_and_defaults_to_30s_2m_10m_1h_4h()
    {
        static IReadOnlyList<TimeSpan> Read(params (string Key, string Value)[] values) => DeliverySettings.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build()).RetrySchedule;

        Assert.Equal([TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(4)], Read());
        // A JSON array in appsettings (or Email__RetrySchedule__0 … in the environment): in index order, 10 after 9.
        var list = Enumerable.Range(0, 11).Select(i => ($"Email:RetrySchedule:{i}", TimeSpan.FromMinutes(i + 1).ToString())).ToArray();
        Assert.Equal(Enumerable.Range(1, 11).Select(m => TimeSpan.FromMinutes(m)), Read(list));
        Assert.Equal([TimeSpan.FromSeconds(5), TimeSpan.FromHours(2)], Read(("Email:RetrySchedule", " 00:00:05 ; 02:00:00 ")));
        Assert.Empty(Read(("Email:RetrySchedule", ""))); // no retries: a transient failure fails the recipient
    }

    [Theory]
    [InlineData("Email:RetrySchedule", "00:00:30, soon", "\"soon\" is not a positive time span")]
    [InlineData("Email:RetrySchedule", "-00:00:30", "is not a positive time span")]
    [InlineData("Jobs:InvisibilityTimeout", "0", "Jobs:InvisibilityTimeout \"0\" is not a positive time span")]
    [InlineData("Jobs:InvisibilityTimeout", "a minute", "Jobs:InvisibilityTimeout \"a minute\" is not a positive time span")]
    public async Task A_bad_schedule_or_timeout_stops_the_start_with_the_setting_and_the_reason(string key, string value, string reason)
    {
        await using var app = new Hosts.WithSettings(new Dictionary<string, string?> { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => app.Server);
        var messages = string.Join(" | ", Chain(error).Select(e => e.Message));
        Assert.Contains(key.Split(':')[0], messages);
        Assert.Contains(reason, messages);
    }

    private static IEnumerable<Exception> Chain(Exception? e)
    {
        for (; e is not null; e = e.InnerException) yield return e;
    }

    /// <summary>An invitation of the default flow emailed to <paramref name="count"/> addresses, queued as the admin page queues it.</summary>
    private static async Task<(Guid Invitation, Guid[] Deliveries)> QueueAsync(EnrollmentApp app, int count)
    {
        var invitation = new Invitation { Name = "once-" + Guid.NewGuid().ToString("N")[..8] };
        await app.DbAsync(async db =>
        {
            invitation.FlowId = await db.Flows.Where(f => f.Slug == "invitation-enrollment").Select(f => f.Id).SingleAsync();
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync();
        });
        var to = Enumerable.Range(0, count).Select(i => $"once{i:D3}@example.com").ToList();
        var result = await app.SendAsync(new QueueInvitationEmails.Command(invitation.Id, to, [], [], null, "http://localhost", null));
        Assert.True(result.Succeeded);
        var ids = await app.DbAsync(db => db.InvitationDeliveries.Where(d => d.InvitationId == invitation.Id).OrderBy(d => d.Email).Select(d => d.Id).ToArrayAsync());
        return (invitation.Id, ids);
    }

    private static async Task RunAsync(EnrollmentApp app, Guid[] ids)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<InvitationDeliveryJob>().SendAsync(ids, CancellationToken.None);
    }

    private static List<(string Id, Guid[] Ids)> EnqueuedDeliveryJobs(EnrollmentApp app) =>
        app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().EnqueuedJobs("default", 0, 1000)
            .Where(j => j.Value.Job?.Type == typeof(InvitationDeliveryJob))
            .Select(j => (j.Key, (Guid[])j.Value.Job.Args[0])).ToList();

    private static List<(Guid[] Ids, DateTime At)> ScheduledDeliveryJobs(EnrollmentApp app) =>
        app.Services.GetRequiredService<JobStorage>().GetMonitoringApi().ScheduledJobs(0, 1000)
            .Where(j => j.Value.Job?.Type == typeof(InvitationDeliveryJob))
            .Select(j => ((Guid[])j.Value.Job.Args[0], j.Value.EnqueueAt)).ToList();
}
