using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>An enrollment leaves an audit trail: the invitation used, the user written, the login, each with who, which invitation, and when.</summary>
public sealed class EnrollmentEventsTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task Invitation_used_user_write_and_login_are_recorded_with_the_user_the_invitation_and_a_time()
    {
        var setup = await GuideFlowAsync(app, "ev-flow", UserType.Internal, "users/internal");
        var invitation = await setup.InviteAsync(app, "ev-invitation");
        var before = DateTime.UtcNow.AddSeconds(-1);
        using var client = app.NewClient();

        // Opening the link records nothing yet (a mail scanner opening it is no use).
        await client.GetPageAsync(setup.Link(invitation));
        Assert.Empty(await EventsOfAsync(invitation.Id));

        using var invitee = app.NewClient();
        await invitee.EnrollToTheEndAsync(setup.Link(invitation), Answers("audited"));
        var after = DateTime.UtcNow.AddSeconds(1);
        var user = await UserAsync(app, "audited");

        var events = await EventsOfAsync(invitation.Id);
        Assert.Equal(["invitation_used", "login", "user_write"], events.Select(e => e.Action).Order());
        foreach (var e in events)
        {
            Assert.Equal("audited", (string?)e.User["username"]);
            Assert.Equal(user!.Id, (int?)e.User["pk"]);
            Assert.Equal(invitation.Id.ToString(), (string?)e.Context["invitation"]);
            Assert.InRange(e.Created, before, after);
        }
        Assert.Equal("ev-flow", (string?)events.Single(e => e.Action == "invitation_used").Context["flow"]);
        Assert.Equal("ev-flow", (string?)events.Single(e => e.Action == "login").Context["flow"]);
        Assert.True((bool?)events.Single(e => e.Action == "user_write").Context["created"]);
        // The login comes after the write.
        Assert.True(events.Single(e => e.Action == "login").Created >= events.Single(e => e.Action == "user_write").Created);
    }

    [Fact]
    public async Task A_refused_invitation_records_no_enrollment_events()
    {
        var setup = await GuideFlowAsync(app, "ev-refused");
        var invitation = await setup.InviteAsync(app, "ev-expired", expires: DateTime.UtcNow.AddMinutes(-5));
        using var client = app.NewClient();
        await client.GetPageAsync(setup.Link(invitation));
        Assert.Empty(await EventsOfAsync(invitation.Id));
    }

    private Task<List<Event>> EventsOfAsync(Guid invitationId) => app.DbAsync(async db =>
        (await db.Events.AsNoTracking().Where(e => e.Action == "invitation_used" || e.Action == "user_write" || e.Action == "login").ToListAsync())
            .Where(e => (string?)e.Context["invitation"] == invitationId.ToString()).ToList());
}
