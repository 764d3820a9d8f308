using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>
/// "Is this invitation usable now" is one rule with two forms, the query's (<see cref="Invitation.UsableFor"/>) and the
/// loaded invitation's (<see cref="Invitation.ProblemFor"/>): on every kind of invitation they must agree.
/// </summary>
public sealed class InvitationUsabilityTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static readonly DateTime Now = new(2031, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task The_database_and_a_loaded_invitation_answer_alike()
    {
        var flow = await app.FlowAsync("usable-flow");
        var other = await app.FlowAsync("usable-other");
        var cases = new Dictionary<string, InvitationProblem?>
        {
            ["open"] = null,
            ["expires-later"] = null,
            ["expires-now"] = InvitationProblem.Expired,
            ["expired"] = InvitationProblem.Expired,
            ["single-unused"] = null,
            ["single-used"] = InvitationProblem.UsedUp,
            ["multi-used"] = null,
            ["this-flow"] = null,
            ["other-flow"] = InvitationProblem.ForOtherFlow,
            ["expired-used-other"] = InvitationProblem.Expired,
            ["used-other"] = InvitationProblem.UsedUp,
        };
        var invitations = new List<Invitation>
        {
            New("open"),
            New("expires-later", expires: Now.AddSeconds(1)),
            New("expires-now", expires: Now),
            New("expired", expires: Now.AddDays(-1)),
            New("single-unused", singleUse: true),
            New("single-used", singleUse: true, uses: 1),
            New("multi-used", uses: 3),
            New("this-flow", flowId: flow.Id),
            New("other-flow", flowId: other.Id),
            New("expired-used-other", expires: Now.AddMinutes(-1), singleUse: true, uses: 1, flowId: other.Id),
            New("used-other", singleUse: true, uses: 2, flowId: other.Id),
        };
        await app.DbAsync(db =>
        {
            db.Invitations.AddRange(invitations);
            return db.SaveChangesAsync();
        });
        var ids = invitations.Select(i => i.Id).ToList();

        var usable = await app.DbAsync(db => db.Invitations.Where(i => ids.Contains(i.Id)).Where(Invitation.UsableFor(flow.Id, Now))
            .Select(i => i.Name).ToListAsync());
        var expired = await app.DbAsync(db => db.Invitations.Where(i => ids.Contains(i.Id)).Where(Invitation.ExpiredAt(Now))
            .Select(i => i.Name).ToListAsync());
        var loaded = await app.DbAsync(db => db.Invitations.AsNoTracking().Where(i => ids.Contains(i.Id)).ToListAsync());

        foreach (var i in loaded)
        {
            Assert.Equal((i.Name, cases[i.Name]), (i.Name, i.ProblemFor(flow.Id, Now)));
            Assert.Equal((i.Name, cases[i.Name] is null), (i.Name, usable.Contains(i.Name)));
            Assert.Equal((i.Name, i.IsExpired(Now)), (i.Name, expired.Contains(i.Name)));
        }
    }

    private static Invitation New(string name, DateTime? expires = null, bool singleUse = false, int uses = 0, Guid? flowId = null) =>
        new() { Name = name, Expires = expires, SingleUse = singleUse, Uses = uses, FlowId = flowId };
}
