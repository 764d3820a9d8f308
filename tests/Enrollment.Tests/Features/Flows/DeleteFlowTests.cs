using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Flows;

/// <summary><c>/if/admin/flows/{slug}/delete/</c>: what goes with a flow and what stays.</summary>
[Collection(FlowsCollection.Name)]
public sealed class DeleteFlowTests(Hosts.Default app)
{
    [Fact]
    public async Task Deleting_a_flow_removes_its_bindings_and_unlinks_its_invitations()
    {
        var flow = await app.FlowAsync("delete-me", withInvitationStage: true);
        var invitation = new Invitation { Name = "orphan", FlowId = flow.Id };
        await app.DbAsync(db =>
        {
            db.Invitations.Add(invitation);
            db.PolicyBindings.Add(new PolicyBinding { FlowId = flow.Id, UserId = 1 });
            return db.SaveChangesAsync();
        });
        using var client = await app.AdminClientAsync();
        var confirm = await client.GetPageAsync("/if/admin/flows/delete-me/delete/");
        Assert.Contains("1 invitation(s) point at this flow", confirm.QuerySelector(".warning")!.TextContent);
        (await client.PostFormAsync("/if/admin/flows/delete-me/delete/", [])).AssertRedirect("/if/admin/flows/");

        Assert.False(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Id == flow.Id)));
        Assert.False(await app.DbAsync(db => db.FlowStageBindings.AnyAsync(b => b.FlowId == flow.Id)));
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(p => p.FlowId == flow.Id)));
        Assert.Null((await app.DbAsync(db => db.Invitations.SingleAsync(i => i.Id == invitation.Id))).FlowId);
    }
}
