using System.Net;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.Groups;

/// <summary><c>GET /api/v3/core/groups/{pk}/</c>.</summary>
[Collection(GroupsApiCollection.Name)]
public sealed class RetrieveGroupTests(Hosts.Default app)
{
    private const string List = "/api/v3/core/groups/";

    [Fact]
    public async Task Retrieves_one_group_and_404s_unknown_ones()
    {
        var group = await app.AddGroupAsync(ApiJsonClient.Unique("one-"));
        using var client = app.ApiClient();

        var body = await client.GetJsonAsync($"{List}{group.Id}/");
        Assert.Equal(group.Name, (string?)body["name"]);
        Assert.Equal(group.Id.ToString(), (string?)body["pk"]);

        Assert.Equal("""{"detail":"Not found."}""", (await client.GetJsonAsync($"{List}{Guid.NewGuid()}/", HttpStatusCode.NotFound)).ToJsonString());
        Assert.Equal("""{"detail":"Not found."}""", (await client.GetJsonAsync($"{List}not-a-uuid/", HttpStatusCode.NotFound)).ToJsonString());
    }
}
