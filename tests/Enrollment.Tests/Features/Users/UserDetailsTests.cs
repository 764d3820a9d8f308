using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Features.Users.UserPages;

namespace Enrollment.Tests.Features.Users;

/// <summary><c>/if/admin/users/{id}/</c>: a user's groups and attributes, and the user pages for an id that names nobody.</summary>
[Collection(UsersCollection.Name)]
public sealed class UserDetailsTests(Hosts.Default app)
{
    [Fact]
    public async Task Details_show_groups_and_attributes_as_json_and_unknown_ids_are_404()
    {
        var id = await CreateUserAsync(app, "detail-dora", admin: true, attributes: new JsonObject { ["department"] = "<Engineering>" });
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync($"/if/admin/users/{id}/");
        Assert.Contains(Bootstrap.AdminGroup, page.QuerySelector("#user-groups")!.TextContent);
        var attributes = JsonNode.Parse(page.QuerySelector("#user-attributes")!.TextContent)!;
        Assert.Equal("<Engineering>", (string?)attributes["department"]);

        await client.GetPageAsync("/if/admin/users/999999/", HttpStatusCode.NotFound);
        await client.GetPageAsync("/if/admin/users/999999/deactivate/", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/users/", [], "/if/admin/users/999999/delete/")).StatusCode);
    }
}
