using Enrollment.Domain;
using Enrollment.Infrastructure;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// First start applies <c>blueprints/default/invitation-enrollment-minimal.yaml</c> (the only default not labelled
/// as an example), so the first invitation can be created at once; a restart neither duplicates it nor brings it
/// back after the admin deleted it.
/// </summary>
public sealed class DefaultBlueprintsTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task First_start_creates_the_default_invitation_enrollment_flow_once_and_records_it()
    {
        await app.DbAsync(async db =>
        {
            var flow = await db.Flows.AsNoTracking().Include(f => f.Bindings).ThenInclude(b => b.Stage).SingleAsync();
            Assert.Equal(("invitation-enrollment", "Invitation enrollment", FlowDesignation.Enrollment), (flow.Slug, flow.Name, flow.Designation));
            Assert.Equal([typeof(InvitationStage), typeof(PromptStage), typeof(UserWriteStage), typeof(UserLoginStage)], flow.Bindings.OrderBy(b => b.Order).Select(b => b.Stage.GetType()));
            var write = await db.Set<UserWriteStage>().AsNoTracking().SingleAsync();
            Assert.Equal((UserType.External, "users/external"), (write.UserType, write.UserPathTemplate));
            // Examples are not applied: only the minimal default.
            Assert.False(await db.Flows.AnyAsync(f => f.Slug == "default-enrollment-flow"));
            var applied = Assert.Single(await db.Events.AsNoTracking().Where(e => e.Action == DefaultBlueprints.AppliedAction).ToListAsync());
            Assert.Equal("default/invitation-enrollment-minimal.yaml", applied.Context["path"]!.GetValue<string>());
            Assert.Equal("Default - Invitation enrollment (minimal)", applied.Context["blueprint"]!.GetValue<string>());
        });
    }

    [Fact]
    public async Task The_first_invitation_can_be_created_at_once_and_enrolls_an_external_user()
    {
        using var admin = await app.AdminClientAsync();
        var created = await admin.PostFormAsync("/if/admin/invitations/new/", ("Input.Name", "first-invite"), ("Input.FlowSlug", "invitation-enrollment"), ("Input.SingleUse", "true"));
        created.AssertRedirect("/if/admin/invitations/");
        var invitation = await app.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Name == "first-invite"));
        using var invitee = app.NewClient();

        var (done, pages) = await WalkAsync(invitee, invitation.Link("invitation-enrollment"), Fill("first-user", "First User", "first@example.com"));

        done.AssertRedirect("/if/user/");
        Assert.Single(pages);
        await AssertUserAsync(app, "first-user", "First User", "first@example.com", "users/external", UserType.External, []);
    }

    [Fact]
    public async Task A_restart_does_not_duplicate_the_flow_and_a_deleted_default_flow_does_not_come_back()
    {
        await using var app = new Hosts.Default(); // its own install: this test deletes the default flow
        await using (var restarted = new Hosts.SharingDatabaseWith(app))
        {
            restarted.Services.GetType(); // started: Program.cs ran migrations, bootstrap and the default blueprints again
            Assert.Equal(1, await app.DbAsync(db => db.Flows.CountAsync(f => f.Slug == "invitation-enrollment")));
            Assert.Equal(1, await app.DbAsync(db => db.Events.CountAsync(e => e.Action == DefaultBlueprints.AppliedAction)));
        }

        using var admin = await app.AdminClientAsync();
        (await admin.PostFormAsync("/if/admin/flows/invitation-enrollment/delete/")).AssertRedirect("/if/admin/flows/");
        Assert.Equal(0, await app.DbAsync(db => db.Flows.CountAsync()));

        await using (var restarted = new Hosts.SharingDatabaseWith(app))
        {
            restarted.Services.GetType();
            Assert.Equal(0, await app.DbAsync(db => db.Flows.CountAsync()));
            Assert.Equal(1, await app.DbAsync(db => db.Events.CountAsync(e => e.Action == DefaultBlueprints.AppliedAction)));
        }
        Assert.Empty(await app.Services.DiscoverBlueprintsAsync()); // called directly: still nothing to do
    }

    [Fact]
    public async Task The_switch_turns_first_start_blueprints_off()
    {
        await using var off = new Hosts.WithoutDefaultBlueprints();
        Assert.Equal(0, await off.DbAsync(db => db.Flows.CountAsync()));
        Assert.Empty(await off.Services.DiscoverBlueprintsAsync());
    }
}
