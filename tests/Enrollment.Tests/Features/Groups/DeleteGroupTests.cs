using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Groups.GroupPages;

namespace Enrollment.Tests.Features.Groups;

/// <summary><c>/if/admin/groups/{id}/delete/</c>: what goes with a group, and a parent refused.</summary>
[Collection(GroupsCollection.Name)]
public sealed class DeleteGroupTests(Hosts.Default app)
{
    [Fact]
    public async Task Deleting_a_group_clears_its_bindings_and_write_stages_but_a_parent_is_refused()
    {
        using var client = await app.AdminClientAsync();
        var parent = await CreateAsync(app, client, "Delete parent");
        var child = await CreateAsync(app, client, "Delete child", parent);
        var (bindingId, stageId) = await app.DbAsync(async db =>
        {
            var flow = new Flow { Name = "Group delete flow", Slug = "group-delete-flow" };
            var binding = new PolicyBinding { Flow = flow, GroupId = child };
            var stage = new UserWriteStage { Name = "write-into-child", CreateUsersGroupId = child };
            db.AddRange(flow, binding, stage);
            await db.SaveChangesAsync();
            return (binding.Id, stage.Id);
        });

        var refused = await client.GetPageAsync($"/if/admin/groups/{parent}/delete/");
        Assert.Contains("This group has child groups.", refused.QuerySelector("[role=alert]")!.TextContent);
        var post = await ErrorsOf(await client.PostFormAsync("/if/admin/groups/", [], $"/if/admin/groups/{parent}/delete/"));
        Assert.Contains("This group has child groups. Delete them or give them another parent first.", post);
        Assert.True(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Id == parent)));

        (await client.PostFormAsync($"/if/admin/groups/{child}/delete/")).AssertRedirect("/if/admin/groups/");
        Assert.False(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Id == child)));
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(b => b.Id == bindingId)));
        Assert.Null(await app.DbAsync(db => db.Stages.OfType<UserWriteStage>().Where(s => s.Id == stageId).Select(s => s.CreateUsersGroupId).SingleAsync()));
        (await client.PostFormAsync($"/if/admin/groups/{parent}/delete/")).AssertRedirect("/if/admin/groups/");
    }
}
