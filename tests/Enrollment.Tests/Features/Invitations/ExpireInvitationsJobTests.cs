using Enrollment.Domain;
using Enrollment.Features.Invitations.ExpireInvitations;
using Enrollment.Tests.Features.Api;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>
/// Expired invitations are kept, with their history, for <c>Invitations:KeepExpiredDays</c> (default 30) past their expiry;
/// the job takes the keep period from the configuration and the time from the app's clock.
/// </summary>
public sealed class ExpireInvitationsJobTests(ExpireInvitationsJobTests.KeepTenDays app) : IClassFixture<ExpireInvitationsJobTests.KeepTenDays>
{
    private static readonly DateTimeOffset Start = new(2033, 5, 1, 8, 0, 0, TimeSpan.Zero);

    public sealed class KeepTenDays() : EnrollmentApp(new HostConfiguration { Settings = _ => new Dictionary<string, string?> { ["Invitations:KeepExpiredDays"] = "10" } })
    {
        public Events.ExpireEventsTests.ManualClock Clock { get; } = new(Start);

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
        }
    }

    [Fact]
    public async Task The_job_keeps_expired_invitations_for_the_configured_days()
    {
        var flow = await app.FlowAsync("keep-job-flow");
        var now = Start.UtcDateTime;
        var invitations = new[]
        {
            new Invitation { Name = "keep-job-recent", FlowId = flow.Id, Expires = now.AddDays(-9) },
            new Invitation { Name = "keep-job-old", FlowId = flow.Id, Expires = now.AddDays(-11) },
        };
        await app.DbAsync(db => { db.Invitations.AddRange(invitations); return db.SaveChangesAsync(); });

        using (var scope = app.Services.CreateScope())
            await ActivatorUtilities.CreateInstance<ExpireInvitationsJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);

        var left = await app.DbAsync(db => db.Invitations.Where(i => i.FlowId == flow.Id).Select(i => i.Name).ToListAsync());
        Assert.Equal(["keep-job-recent"], left);

        // Two days on, by the app's clock, the other one has been expired for more than ten days too.
        app.Clock.Now = Start.AddDays(2);
        using (var scope = app.Services.CreateScope())
            await ActivatorUtilities.CreateInstance<ExpireInvitationsJob>(scope.ServiceProvider).RunAsync(CancellationToken.None);
        Assert.Empty(await app.DbAsync(db => db.Invitations.Where(i => i.FlowId == flow.Id).ToListAsync()));
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

        // Expired, listed as such, and kept with its history for 30 days (the default). Other tests of this host
        // leave expired invitations too, so this one is looked for rather than counted.
        Task<bool> Kept() => app.DbAsync(db => db.Invitations.AnyAsync(i => i.Id == invitation.Id));
        Assert.Equal(InvitationStatus.Expired, invitation.StatusAt(expiry.AddDays(1)));
        await app.SendAsync(new ExpireInvitations.Command(expiry.AddDays(1)));
        await app.SendAsync(new ExpireInvitations.Command(expiry.AddDays(ExpireInvitations.DefaultKeepExpiredDays).AddSeconds(-1)));
        Assert.True(await Kept());
        await app.SendAsync(new ExpireInvitations.Command(expiry.AddDays(10).AddSeconds(-1), KeepExpiredDays: 10));
        Assert.True(await Kept());

        Assert.True(await app.SendAsync(new ExpireInvitations.Command(expiry.AddDays(10).AddSeconds(1), KeepExpiredDays: 10)) >= 1);
        Assert.False(await Kept());
        Assert.Equal(0, await app.DbAsync(db => db.InvitationUses.CountAsync(u => u.InvitationId == invitation.Id)));
    }
}
