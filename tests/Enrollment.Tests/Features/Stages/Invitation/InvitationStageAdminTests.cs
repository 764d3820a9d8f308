using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages.Invitation;

/// <summary>The invitation stage in the admin console: created, edited and deleted.</summary>
[Collection(StagesCollection.Name)]
public sealed class InvitationStageAdminTests(Hosts.Default app)
{
    [Fact]
    public async Task Admin_creates_edits_and_deletes_an_invitation_stage()
    {
        using var client = await app.AdminClientAsync();
        var created = await client.PostFormAsync("/if/admin/stages/new/invitation/",
            ("Input.Name", "invite-check"), ("Input.ContinueFlowWithoutInvitation", "true"), ("Input.ContinueFlowWithoutInvitation", "false"));
        created.AssertRedirect("/if/admin/stages/");
        var stage = await app.DbAsync(db => db.Stages.OfType<InvitationStage>().SingleAsync(s => s.Name == "invite-check"));
        Assert.True(stage.ContinueFlowWithoutInvitation);

        // Unticking a box posts only the hidden "false", as a browser does.
        var edit = await client.GetPageAsync($"/if/admin/stages/{stage.Id}/edit/");
        Assert.NotNull(edit.QuerySelector("input[type=hidden][name='Input.ContinueFlowWithoutInvitation'][value=false]"));
        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/edit/",
            ("Input.Name", "invite-check-renamed"), ("Input.ContinueFlowWithoutInvitation", "false"))).AssertRedirect("/if/admin/stages/");
        stage = await app.DbAsync(db => db.Stages.OfType<InvitationStage>().SingleAsync(s => s.Id == stage.Id));
        Assert.Equal("invite-check-renamed", stage.Name);
        Assert.False(stage.ContinueFlowWithoutInvitation);

        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/delete/")).AssertRedirect("/if/admin/stages/");
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Id == stage.Id)));
        Assert.True(await app.DbAsync(db => db.Events.AnyAsync(e => e.Action == "model_deleted")));
    }
}
