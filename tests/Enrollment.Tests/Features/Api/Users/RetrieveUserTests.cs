using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.Users;

/// <summary><c>GET /api/v3/core/users/{pk}/</c>.</summary>
[Collection(UsersApiCollection.Name)]
public sealed class RetrieveUserTests(Hosts.Default app)
{
    private const string List = "/api/v3/core/users/";

    [Fact]
    public async Task Retrieves_one_user_and_404s_unknown_ids()
    {
        var admins = await app.AddGroupAsync(ApiJsonClient.Unique("root-"), isSuperuser: true);
        var user = await app.AddUserAsync(ApiJsonClient.Unique("one-"), u => u.Name = "Only One", admins);
        using var client = app.ApiClient();

        var body = await client.GetJsonAsync($"{List}{user.Id}/");
        Assert.Equal(user.UserName, (string?)body["username"]);
        Assert.Equal("Only One", (string?)body["name"]);
        Assert.True((bool)body["is_superuser"]!);
        Assert.Equal(admins.Id.ToString(), (string?)body["groups"]![0]);

        Assert.Equal("""{"detail":"Not found."}""", (await client.GetJsonAsync($"{List}999999/", HttpStatusCode.NotFound)).ToJsonString());
        Assert.Equal("""{"detail":"Not found."}""", (await client.GetJsonAsync($"{List}abc/", HttpStatusCode.NotFound)).ToJsonString());
    }
}
