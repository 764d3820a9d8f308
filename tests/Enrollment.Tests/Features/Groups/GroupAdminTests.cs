using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Groups;

public sealed class GroupAdminTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static (string, string)[] Fields(string name, string attributes = "", Guid? parent = null, bool superuser = false) =>
    [
        ("Input.Name", name), ("Input.ParentId", parent?.ToString() ?? ""), ("Input.Attributes", attributes),
        ("Input.IsSuperuser", superuser ? "true" : "false"),
    ];

    private async Task<Guid> CreateAsync(TestClient client, string name, Guid? parent = null, string attributes = "")
    {
        var response = await client.PostFormAsync("/if/admin/groups/new/", Fields(name, attributes, parent));
        response.AssertRedirect("/if/admin/groups/");
        return await app.DbAsync(db => db.Groups.Where(g => g.Name == name).Select(g => g.Id).SingleAsync());
    }

    private static async Task<IReadOnlyList<string>> ErrorsOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return TestClient.Errors(await TestClient.ParseAsync(response));
    }

    private static string FormAction(IHtmlDocument page, string handler) =>
        page.QuerySelectorAll("form").Select(f => f.GetAttribute("action") ?? "").Single(a => a.Contains($"handler={handler}"));

    [Fact]
    public async Task Admin_creates_a_group_with_yaml_attributes_and_a_parent_and_finds_it_in_the_list()
    {
        using var client = await app.AdminClientAsync();
        var parent = await CreateAsync(client, "Engineering");
        var child = await CreateAsync(client, "Platform team", parent, "department: Engineering\ncost_center: 4711\nremote: true\ntags:\n  - \"on-call\"\n");

        var group = await app.DbAsync(db => db.Groups.SingleAsync(g => g.Id == child));
        Assert.Equal(parent, group.ParentId);
        Assert.Equal("Engineering", (string?)group.Attributes["department"]);
        Assert.Equal(4711, (long)group.Attributes["cost_center"]!);
        Assert.True((bool)group.Attributes["remote"]!);
        Assert.Equal("on-call", (string?)group.Attributes["tags"]![0]);
        Assert.Contains(await app.DbAsync(db => db.Events.Select(e => e.Action).ToListAsync()), a => a == "model_created");

        var rows = (await client.GetPageAsync("/if/admin/groups/?q=platform")).QuerySelector("#group-rows")!.TextContent;
        Assert.Contains("Platform team", rows);
        Assert.Contains("Engineering", rows); // the parent column
    }

    [Fact]
    public async Task Duplicate_name_is_a_form_error_and_nothing_is_saved()
    {
        using var client = await app.AdminClientAsync();
        await CreateAsync(client, "Duplicates");
        var errors = await ErrorsOf(await client.PostFormAsync("/if/admin/groups/new/", Fields("Duplicates")));
        Assert.Contains("A group with this name already exists.", errors);
        Assert.Equal(1, await app.DbAsync(db => db.Groups.CountAsync(g => g.Name == "Duplicates")));
    }

    [Theory]
    [InlineData("department: [unclosed\nother: 1", "Line 2: the text ends inside an unclosed bracket or quote.")]
    [InlineData("department: \"unclosed", "Line 1, column 13: While scanning a quoted scalar")]
    [InlineData("{\n  \"department\": \"Eng\",\n  oops\n}", "Line 3, column 3: ")]
    [InlineData("- just\n- a list", "Line 1: expected an object (key: value pairs), found a list.")]
    [InlineData("[1, 2]", "Line 1: expected an object (key: value pairs), found a list.")]
    public async Task Invalid_attributes_text_is_a_form_error_and_nothing_is_saved(string attributes, string message)
    {
        using var client = await app.AdminClientAsync();
        var name = "Bad attributes " + Guid.NewGuid().ToString("N")[..6];
        var response = await client.PostFormAsync("/if/admin/groups/new/", Fields(name, attributes));
        var page = await TestClient.ParseAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith(message, page.QuerySelector("[data-valmsg-for='Input.Attributes']")!.TextContent.Trim());
        Assert.False(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Name == name)));
    }

    [Fact]
    public async Task A_parent_that_would_make_a_cycle_is_refused_and_not_offered()
    {
        using var client = await app.AdminClientAsync();
        var top = await CreateAsync(client, "Cycle top");
        var middle = await CreateAsync(client, "Cycle middle", top);
        var bottom = await CreateAsync(client, "Cycle bottom", middle);

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
        var id = await CreateAsync(client, "Before rename", attributes: "{\"a\": 1}");
        var form = await client.GetPageAsync($"/if/admin/groups/{id}/edit/");
        Assert.Contains("\"a\": 1", form.QuerySelector("textarea[name='Input.Attributes']")!.TextContent);

        (await client.PostFormAsync($"/if/admin/groups/{id}/edit/", Fields("After rename", "{\"b\": \"x\"}"))).AssertRedirect("/if/admin/groups/");
        var group = await app.DbAsync(db => db.Groups.SingleAsync(g => g.Id == id));
        Assert.Equal("After rename", group.Name);
        Assert.Equal("{\"b\":\"x\"}", group.Attributes.ToJsonString());
    }

    [Fact]
    public async Task Members_are_added_by_username_and_removed_and_unknown_usernames_are_form_errors()
    {
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(client, "Members group");
        var url = $"/if/admin/groups/{id}/members/";
        var add = FormAction(await client.GetPageAsync(url), "Add");

        (await client.PostFormAsync(url, [new("Input.Username", "akadmin")], add)).AssertRedirect(url);
        Assert.True(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Id == id && g.Users.Any(u => u.UserName == "akadmin"))));
        Assert.Contains("akadmin", (await client.GetPageAsync(url)).QuerySelector("#group-members")!.TextContent);

        var errors = await ErrorsOf(await client.PostFormAsync(url, [new("Input.Username", "nobody-here")], add));
        Assert.Contains("There is no user named “nobody-here”.", errors);

        var page = await client.GetPageAsync(url);
        var remove = FormAction(page, "Remove");
        var adminId = await app.DbAsync(db => db.Users.Where(u => u.UserName == "akadmin").Select(u => u.Id).SingleAsync());
        (await client.PostFormAsync(url, [new("userId", adminId.ToString())], remove)).AssertRedirect(url);
        Assert.False(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Id == id && g.Users.Any())));
    }

    [Fact]
    public async Task The_last_active_superuser_cannot_leave_or_unset_the_superuser_group()
    {
        using var client = await app.AdminClientAsync();
        var admins = await app.DbAsync(db => db.Groups.Where(g => g.Name == Bootstrap.AdminGroup).Select(g => g.Id).SingleAsync());
        var adminId = await app.DbAsync(db => db.Users.Where(u => u.UserName == "akadmin").Select(u => u.Id).SingleAsync());
        var url = $"/if/admin/groups/{admins}/members/";

        var errors = await ErrorsOf(await client.PostFormAsync(url, [new("userId", adminId.ToString())], FormAction(await client.GetPageAsync(url), "Remove")));
        Assert.Contains(errors, e => e.StartsWith("This would leave no active superuser"));
        Assert.True(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Id == admins && g.Users.Any(u => u.Id == adminId))));

        var edit = await ErrorsOf(await client.PostFormAsync($"/if/admin/groups/{admins}/edit/", Fields(Bootstrap.AdminGroup, superuser: false)));
        Assert.Contains(edit, e => e.StartsWith("This would leave no active superuser"));
        Assert.True(await app.DbAsync(db => db.Groups.Where(g => g.Id == admins).Select(g => g.IsSuperuser).SingleAsync()));
        await client.GetPageAsync("/if/admin/groups/"); // still an admin
    }

    [Fact]
    public async Task Deleting_a_group_clears_its_bindings_and_write_stages_but_a_parent_is_refused()
    {
        using var client = await app.AdminClientAsync();
        var parent = await CreateAsync(client, "Delete parent");
        var child = await CreateAsync(client, "Delete child", parent);
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
