using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Groups.GroupPages;

namespace Enrollment.Tests.Features.Groups;

/// <summary><c>/if/admin/groups/{id}/edit/</c>, and the group pages for an id that names no group.</summary>
[Collection(GroupsCollection.Name)]
public sealed class EditGroupTests(Hosts.Default app)
{
    [Fact]
    public async Task A_parent_that_would_make_a_cycle_is_refused_and_not_offered()
    {
        using var client = await app.AdminClientAsync();
        var top = await CreateAsync(app, client, "Cycle top");
        var middle = await CreateAsync(app, client, "Cycle middle", top);
        var bottom = await CreateAsync(app, client, "Cycle bottom", middle);

        var edit = await client.GetPageAsync($"/if/admin/groups/{top}/edit/");
        var offered = edit.QuerySelectorAll("select[name='Input.ParentId'] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.DoesNotContain(top.ToString(), offered);
        Assert.DoesNotContain(bottom.ToString(), offered);
        Assert.DoesNotContain(middle.ToString(), offered);
        var admins = await app.DbAsync(db => db.Groups.Where(g => g.Name == Bootstrap.AdminGroup).Select(g => g.Id).SingleAsync());
        Assert.Contains(admins.ToString(), offered);

        var errors = await ErrorsOf(await client.PostFormAsync($"/if/admin/groups/{top}/edit/", Fields("Cycle top", parent: bottom)));
        Assert.Contains("A group cannot be its own parent or the child of one of its descendants.", errors);
        Assert.Null(await app.DbAsync(db => db.Groups.Where(g => g.Id == top).Select(g => g.ParentId).SingleAsync()));
    }

    [Fact]
    public async Task Edit_renames_and_changes_attributes()
    {
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Before rename", attributes: "{\"a\": 1}");
        var form = await client.GetPageAsync($"/if/admin/groups/{id}/edit/");
        Assert.Contains("\"a\": 1", form.QuerySelector("textarea[name='Input.Attributes']")!.TextContent);

        (await client.PostFormAsync($"/if/admin/groups/{id}/edit/", Fields("After rename", "{\"b\": \"x\"}"))).AssertRedirect("/if/admin/groups/");
        var group = await app.DbAsync(db => db.Groups.SingleAsync(g => g.Id == id));
        Assert.Equal("After rename", group.Name);
        Assert.Equal("{\"b\":\"x\"}", group.Attributes.ToJsonString());
    }

    [Fact]
    public async Task Unknown_group_ids_are_404()
    {
        using var client = await app.AdminClientAsync();
        var id = Guid.NewGuid();
        await client.GetPageAsync($"/if/admin/groups/{id}/edit/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/groups/{id}/members/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/groups/{id}/delete/", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/groups/", [], $"/if/admin/groups/{id}/delete/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/groups/", Fields("Ghost").Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)), $"/if/admin/groups/{id}/edit/")).StatusCode);
        var add = new KeyValuePair<string, string>("Input.Username", "akadmin");
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/groups/", [add], $"/if/admin/groups/{id}/members/?handler=Add")).StatusCode);
    }
}
