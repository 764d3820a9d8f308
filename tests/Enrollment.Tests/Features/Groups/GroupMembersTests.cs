using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Groups.GroupPages;

namespace Enrollment.Tests.Features.Groups;

/// <summary><c>/if/admin/groups/{id}/members/</c>: adding and removing members, and the last superuser kept.</summary>
[Collection(GroupsCollection.Name)]
public sealed class GroupMembersTests(Hosts.Default app)
{
    [Fact]
    public async Task Members_are_added_by_username_and_removed_and_unknown_usernames_are_form_errors()
    {
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Members group");
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
}
