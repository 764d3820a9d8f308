using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Features.Users.UserPages;

namespace Enrollment.Tests.Features.Users;

/// <summary><c>/if/admin/users/</c>: search, the path filter and the path tree.</summary>
[Collection(UsersCollection.Name)]
public sealed class ListUsersTests(Hosts.Default app)
{
    [Fact]
    public async Task List_searches_filters_by_path_and_shows_the_path_tree_with_counts()
    {
        await CreateUserAsync(app, "tree-alice", "users/internal");
        await CreateUserAsync(app, "tree-bob", "users/internal/engineering");
        await CreateUserAsync(app, "tree-carol", "users/external");
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
}
