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

    [Fact]
    public async Task Expired_invitations_are_kept_with_their_uses_for_the_keep_period_and_deleted_after_it()
    {
        var flow = await app.FlowAsync("keep-flow");
        var expiry = new DateTime(2032, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        var user = await app.AddUserAsync("keep-user");
        var invitation = new Invitation { Name = "keep-expired", FlowId = flow.Id, Expires = expiry, MaxUses = 5, Uses = 1 };
        await app.DbAsync(db =>
        {
            db.Invitations.Add(invitation);
            db.InvitationUses.Add(new InvitationUse { InvitationId = invitation.Id, UserId = user.Id, FlowId = flow.Id, Created = expiry.AddDays(-1) });
            return db.SaveChangesAsync();
        });

        // Expired, listed as such, and kept with its history for 30 days (the default).
        Assert.Equal(InvitationStatus.Expired, invitation.StatusAt(expiry.AddDays(1)));
        Assert.Equal(0, await app.SendAsync(new ExpireInvitations.Command(expiry.AddDays(1))));
        Assert.Equal(0, await app.SendAsync(new ExpireInvitations.Command(expiry.AddDays(ExpireInvitations.DefaultKeepExpiredDays))));
        Assert.True(await app.DbAsync(db => db.Invitations.AnyAsync(i => i.Id == invitation.Id)));
        Assert.Equal(0, await app.SendAsync(new ExpireInvitations.Command(expiry.AddDays(10), KeepExpiredDays: 10)));

        Assert.Equal(1, await app.SendAsync(new ExpireInvitations.Command(expiry.AddDays(10).AddSeconds(1), KeepExpiredDays: 10)));
        Assert.False(await app.DbAsync(db => db.Invitations.AnyAsync(i => i.Id == invitation.Id)));
        Assert.Equal(0, await app.DbAsync(db => db.InvitationUses.CountAsync(u => u.InvitationId == invitation.Id)));
    }

    [Fact]
    public async Task The_job_keeps_expired_invitations_for_Invitations_KeepExpiredDays_by_the_apps_clock()
    {
        var flow = await app.FlowAsync("keep-job-flow");
        var now = DateTime.UtcNow;
        var invitations = new[]
        {
            new Invitation { Name = "keep-job-recent", FlowId = flow.Id, Expires = now.AddDays(-29) },
            new Invitation { Name = "keep-job-old", FlowId = flow.Id, Expires = now.AddDays(-31) },
        };
        await app.DbAsync(db => { db.Invitations.AddRange(invitations); return db.SaveChangesAsync(); });

        using (var scope = app.Services.CreateScope())
            await ActivatorUtilities.CreateInstance<ExpireInvitationsJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);

        var left = await app.DbAsync(db => db.Invitations.Where(i => i.FlowId == flow.Id).Select(i => i.Name).ToListAsync());
        Assert.Equal(["keep-job-recent"], left);
    }
}
