using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Users;

public sealed class UserAdminTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Password = "User-Passw0rd!";

    private async Task<int> CreateUserAsync(string username, string path = "users", bool admin = false, JsonObject? attributes = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var db = scope.ServiceProvider.GetRequiredService<Enrollment.Infrastructure.Data.AppDbContext>();
        var user = new User { UserName = username, Name = $"{username} Person", Email = $"{username}@example.com", Path = path, Attributes = attributes ?? [] };
        if (admin) user.Groups.Add(await db.Groups.SingleAsync(g => g.Name == Bootstrap.AdminGroup));
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    private Task<int> AdminIdAsync() => app.DbAsync(db => db.Users.Where(u => u.UserName == "akadmin").Select(u => u.Id).SingleAsync());

    [Fact]
    public async Task List_searches_filters_by_path_and_shows_the_path_tree_with_counts()
    {
        await CreateUserAsync("tree-alice", "users/internal");
        await CreateUserAsync("tree-bob", "users/internal/engineering");
        await CreateUserAsync("tree-carol", "users/external");
        using var client = await app.AdminClientAsync();

        var filtered = await client.GetPageAsync("/if/admin/users/?path=users/internal");
        var rows = filtered.QuerySelector("#user-rows")!.TextContent;
        Assert.Contains("tree-alice", rows);
        Assert.Contains("tree-bob", rows);
        Assert.DoesNotContain("tree-carol", rows);

        var tree = filtered.QuerySelector("nav.tree")!;
        var internalNode = tree.QuerySelectorAll("a").Single(a => a.GetAttribute("href")!.Contains("path=users%2Finternal&"));
        Assert.Equal("internal", internalNode.TextContent);
        Assert.Contains("(2)", internalNode.ParentElement!.QuerySelector("small")!.TextContent);
        Assert.Contains(tree.QuerySelectorAll("a"), a => a.TextContent == "engineering");

        var searched = await client.GetPageAsync("/if/admin/users/?q=CAROL%40example");
        var searchedRows = searched.QuerySelector("#user-rows")!.TextContent;
        Assert.Contains("tree-carol", searchedRows);
        Assert.DoesNotContain("tree-alice", searchedRows);
    }

    [Fact]
    public async Task Details_show_groups_and_attributes_as_json_and_unknown_ids_are_404()
    {
        var id = await CreateUserAsync("detail-dora", admin: true, attributes: new JsonObject { ["department"] = "<Engineering>" });
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync($"/if/admin/users/{id}/");
        Assert.Contains(Bootstrap.AdminGroup, page.QuerySelector("#user-groups")!.TextContent);
        var attributes = JsonNode.Parse(page.QuerySelector("#user-attributes")!.TextContent)!;
        Assert.Equal("<Engineering>", (string?)attributes["department"]);

        await client.GetPageAsync("/if/admin/users/999999/", HttpStatusCode.NotFound);
        await client.GetPageAsync("/if/admin/users/999999/deactivate/", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/users/", [], "/if/admin/users/999999/delete/")).StatusCode);
    }

    [Fact]
    public async Task A_deactivated_admin_loses_the_admin_and_cannot_sign_in_until_activated()
    {
        var id = await CreateUserAsync("deact-erin", admin: true);
        using var erin = app.NewClient();
        await erin.LoginAsync("deact-erin", Password);
        await erin.GetPageAsync("/if/admin/users/");

        using var admin = await app.AdminClientAsync();
        (await admin.PostFormAsync($"/if/admin/users/{id}/deactivate/")).AssertRedirect($"/if/admin/users/{id}/");
        Assert.False(await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.IsActive).SingleAsync()));
        Assert.True(await app.DbAsync(db => db.Events.AnyAsync(e => e.Action == "model_updated")));

        Assert.NotEqual(HttpStatusCode.OK, (await erin.Http.GetAsync("/if/admin/users/")).StatusCode);
        using var again = app.NewClient();
        var login = await again.PostFormAsync("/if/login/", ("Input.Username", "deact-erin"), ("Input.Password", Password));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("This account is deactivated. Ask an administrator to activate it.", TestClient.Errors(await TestClient.ParseAsync(login)));

        (await admin.PostFormAsync($"/if/admin/users/{id}/activate/")).AssertRedirect($"/if/admin/users/{id}/");
        await again.LoginAsync("deact-erin", Password);
    }

    [Fact]
    public async Task An_admin_cannot_deactivate_or_delete_their_own_account()
    {
        var self = await AdminIdAsync();
        using var client = await app.AdminClientAsync();
        var confirm = await client.GetPageAsync($"/if/admin/users/{self}/deactivate/");
        Assert.Contains("You cannot deactivate your own account", confirm.QuerySelector("[role=alert]")!.TextContent);

        var deactivate = await client.PostFormAsync("/if/admin/users/", [], $"/if/admin/users/{self}/deactivate/");
        Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
        Assert.Contains("You cannot deactivate your own account; ask another administrator.", TestClient.Errors(await TestClient.ParseAsync(deactivate)));

        var delete = await client.PostFormAsync("/if/admin/users/", [], $"/if/admin/users/{self}/delete/");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Contains("You cannot delete your own account; ask another administrator.", TestClient.Errors(await TestClient.ParseAsync(delete)));

        Assert.True(await app.DbAsync(db => db.Users.Where(u => u.Id == self).Select(u => u.IsActive).SingleAsync()));
    }

    [Fact]
    public async Task Deleting_a_user_deletes_their_policy_bindings_and_records_an_event()
    {
        var id = await CreateUserAsync("delete-fred");
        var bindingId = await app.DbAsync(async db =>
        {
            var flow = new Flow { Name = "Delete user flow", Slug = "delete-user-flow" };
            var binding = new PolicyBinding { Flow = flow, UserId = id };
            db.AddRange(flow, binding);
            await db.SaveChangesAsync();
            return binding.Id;
        });
        using var client = await app.AdminClientAsync();
        var confirm = await client.GetPageAsync($"/if/admin/users/{id}/delete/");
        Assert.Contains("delete-fred", confirm.QuerySelector("h1")!.TextContent);

        (await client.PostFormAsync($"/if/admin/users/{id}/delete/")).AssertRedirect("/if/admin/users/");
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.Id == id)));
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(b => b.Id == bindingId)));
        var events = await app.DbAsync(db => db.Events.Where(e => e.Action == "model_deleted").ToListAsync());
        Assert.Contains(events, e => (string?)e.Context["model"]?["name"] == "delete-fred");
    }
}
