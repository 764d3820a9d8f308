using Enrollment.Domain;
using Enrollment.Features.Events.ExpireEvents;
using Hangfire;
using Hangfire.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Events;

using ExpireEvents = Enrollment.Features.Events.ExpireEvents.ExpireEvents;

/// <summary>Events older than <c>Events:RetentionDays</c> (default 365) are deleted by a recurring job; the clock is the app's TimeProvider.</summary>
public sealed class ExpireEventsTests(ExpireEventsTests.ClockApp app) : IClassFixture<ExpireEventsTests.ClockApp>
{
    private static readonly DateTimeOffset Start = new(2031, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public sealed class ClockApp() : EnrollmentApp(new HostConfiguration())
    {
        public ManualClock Clock { get; } = new(Start);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
        }
    }

    /// <summary>A clock the test moves by hand.</summary>
    public sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task The_job_deletes_events_older_than_365_days_and_keeps_the_rest()
    {
        app.Clock.Now = Start;
        var tag = Guid.NewGuid().ToString("N");
        await AddEventsAsync(tag, days: [400, 366, 364, 1, 0]);

        await RunJobAsync();
        Assert.Equal(new[] { 364, 1, 0 }, await AgesAsync(tag));

        // Two days later the event that was 364 days old is past the retention too.
        app.Clock.Now = Start.AddDays(2);
        await RunJobAsync();
        Assert.Equal(new[] { 1, 0 }, await AgesAsync(tag));
    }

    [Fact]
    public async Task The_retention_is_a_setting_and_zero_keeps_everything()
    {
        var now = Start.UtcDateTime;
        var tag = Guid.NewGuid().ToString("N");
        await AddEventsAsync(tag, days: [5000, 31, 29]);
        Assert.Equal(0, await app.SendAsync(new ExpireEvents.Command(now, 0)));
        Assert.Equal(new[] { 5000, 31, 29 }, await AgesAsync(tag));
        Assert.True(await app.SendAsync(new ExpireEvents.Command(now, 30)) >= 2);
        Assert.Equal(new[] { 29 }, await AgesAsync(tag));
    }

    [Fact]
    public async Task More_events_than_one_batch_are_all_deleted()
    {
        var tag = Guid.NewGuid().ToString("N");
        await AddEventsAsync(tag, days: [.. Enumerable.Repeat(500, ExpireEvents.Batch + 5), 2]);
        await app.SendAsync(new ExpireEvents.Command(Start.UtcDateTime, 365));
        Assert.Equal(new[] { 2 }, await AgesAsync(tag));
    }

    [Fact]
    public void The_job_is_registered_as_a_recurring_job_under_a_stable_id()
    {
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), j => j.Id == ExpireEventsJob.Id);
    }

    private async Task RunJobAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<ExpireEventsJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);
    }

    private Task AddEventsAsync(string tag, int[] days) => app.DbAsync(db =>
    {
        foreach (var d in days)
            db.Events.Add(new Event { Action = "retention_test", Context = new() { ["tag"] = tag, ["age"] = d }, Created = Start.UtcDateTime.AddDays(-d).AddMinutes(1) });
        return db.SaveChangesAsync();
    });

    /// <summary>The ages (days before <see cref="Start"/>) of this test's events still stored, oldest first.</summary>
    private Task<int[]> AgesAsync(string tag) => app.DbAsync(async db =>
        (await db.Events.AsNoTracking().Where(e => e.Action == "retention_test").OrderBy(e => e.Created).ToListAsync())
        .Where(e => (string?)e.Context["tag"] == tag).Select(e => (int)e.Context["age"]!).Distinct().ToArray());
}
