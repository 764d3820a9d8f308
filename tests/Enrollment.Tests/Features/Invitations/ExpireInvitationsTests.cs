using Enrollment.Domain;
using Enrollment.Features.Invitations.ExpireInvitations;
using Enrollment.Tests.Features.Api;
using Enrollment.Tests.Kit;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>The recurring job that deletes expired invitations.</summary>
public sealed class ExpireInvitationsTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task The_recurring_job_exists_from_start_up_with_its_schedule()
    {
        _ = app.Server; // start the host
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs().SingleOrDefault(j => j.Id == ExpireInvitationsJob.Id);
        Assert.NotNull(job);
        Assert.Equal("*/5 * * * *", job.Cron);
    }

    [Fact]
    public async Task Expired_invitations_are_deleted_in_one_go_and_counted_in_one_event()
    {
        var flow = await app.FlowAsync("expire-flow");
        var now = new DateTime(2030, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        await app.DbAsync(db =>
        {
            db.Invitations.AddRange(
                new Invitation { Name = "past-1", FlowId = flow.Id, Expires = now.AddDays(-1) },
                new Invitation { Name = "past-2", FlowId = flow.Id, Expires = now.AddSeconds(-1) },
                new Invitation { Name = "future", FlowId = flow.Id, Expires = now.AddSeconds(1) },
                new Invitation { Name = "forever", FlowId = flow.Id, Expires = null });
            return db.SaveChangesAsync();
        });

        Assert.Equal(2, await app.SendAsync(new ExpireInvitations.Command(now, KeepExpiredDays: 0)));

        var left = await app.DbAsync(db => db.Invitations.Where(i => i.FlowId == flow.Id).Select(i => i.Name).OrderBy(n => n).ToListAsync());
        Assert.Equal(["forever", "future"], left);
        var e = await app.DbAsync(db => db.Events.SingleAsync(x => x.Action == "invitation_expired"));
        Assert.Equal(2, (int)e.Context["count"]!);
        Assert.Equal(0, await app.SendAsync(new ExpireInvitations.Command(now, KeepExpiredDays: 0)));
        Assert.Equal(1, await app.DbAsync(db => db.Events.CountAsync(x => x.Action == "invitation_expired")));
    }
}
