using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Groups.GroupPages;

namespace Enrollment.Tests.Features.Groups;

/// <summary><c>/if/admin/groups/new/</c>: a group with attributes written as YAML or JSON and a parent, or the form again naming what is wrong.</summary>
[Collection(GroupsCollection.Name)]
public sealed class CreateGroupTests(Hosts.Default app)
{
    [Fact]
    public async Task Admin_creates_a_group_with_yaml_attributes_and_a_parent_and_finds_it_in_the_list()
    {
        using var client = await app.AdminClientAsync();
        var parent = await CreateAsync(app, client, "Engineering");
        var child = await CreateAsync(app, client, "Platform team", parent, "department: Engineering\ncost_center: 4711\nremote: true\ntags:\n  - \"on-call\"\n");

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
        await CreateAsync(app, client, "Duplicates");
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
}
