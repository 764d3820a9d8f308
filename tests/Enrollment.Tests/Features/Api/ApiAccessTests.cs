using System.Net;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api;

public sealed class ApiAccessTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    public static TheoryData<string> Endpoints =>
    [
        "/api/v3/flows/instances/", "/api/v3/flows/instances/some-flow/",
        "/api/v3/core/users/", "/api/v3/core/users/1/",
        "/api/v3/core/groups/", $"/api/v3/core/groups/{Guid.NewGuid()}/",
        "/api/v3/core/users/paths/", "/api/v3/core/tokens/", "/api/v3/core/tokens/some-token/", "/api/v3/core/tokens/some-token/view_key/",
        "/api/v3/core/brands/", $"/api/v3/core/brands/{Guid.NewGuid()}/",
    ];

    public static TheoryData<string, string> Writes => new()
    {
        { "POST", "/api/v3/core/users/" }, { "PATCH", "/api/v3/core/users/1/" }, { "DELETE", "/api/v3/core/users/1/" }, { "POST", "/api/v3/core/users/1/set_password/" },
        { "POST", "/api/v3/core/groups/" }, { "PUT", $"/api/v3/core/groups/{Guid.NewGuid()}/" }, { "POST", $"/api/v3/core/groups/{Guid.NewGuid()}/add_user/" },
        { "POST", $"/api/v3/core/groups/{Guid.NewGuid()}/remove_user/" }, { "DELETE", $"/api/v3/core/groups/{Guid.NewGuid()}/" },
        { "POST", "/api/v3/core/tokens/" }, { "PATCH", "/api/v3/core/tokens/t/" }, { "DELETE", "/api/v3/core/tokens/t/" },
        { "POST", "/api/v3/core/brands/" }, { "PATCH", $"/api/v3/core/brands/{Guid.NewGuid()}/" }, { "DELETE", $"/api/v3/core/brands/{Guid.NewGuid()}/" },
    };

    [Theory, MemberData(nameof(Writes))]
    public async Task A_token_of_a_user_who_is_not_a_superuser_may_not_write_the_directory(string method, string url)
    {
        var user = await app.AddUserAsync(ApiJsonClient.Unique("clerk-"));
        using var client = app.ApiClient(await app.AddTokenAsync(user));
        using var request = new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent("""{"name":"x","pk":1}""", System.Text.Encoding.UTF8, "application/json") };
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory, MemberData(nameof(Endpoints))]
    public async Task Without_a_token_the_api_answers_401_in_json(string url)
    {
        using var client = app.ApiClient(null);
        var body = await client.GetJsonAsync(url, HttpStatusCode.Unauthorized);
        Assert.Equal("Authentication credentials were not provided or are invalid.", (string?)body["detail"]);
    }

    [Theory, MemberData(nameof(Endpoints))]
    public async Task A_wrong_token_is_401_in_json(string url)
    {
        using var client = app.ApiClient("not-a-real-token");
        var body = await client.GetJsonAsync(url, HttpStatusCode.Unauthorized);
        Assert.Equal("Authentication credentials were not provided or are invalid.", (string?)body["detail"]);
    }

    [Theory, MemberData(nameof(Endpoints))]
    public async Task A_valid_token_of_a_user_who_is_not_a_superuser_is_403_in_json(string url)
    {
        var plain = await app.AddGroupAsync(ApiJsonClient.Unique("staff-"));
        var user = await app.AddUserAsync(ApiJsonClient.Unique("worker-"), null, plain);
        using var client = app.ApiClient(await app.AddTokenAsync(user));
        var body = await client.GetJsonAsync(url, HttpStatusCode.Forbidden);
        Assert.Equal("You do not have permission to perform this action.", (string?)body["detail"]);
    }

    [Fact]
    public async Task A_token_of_a_user_in_a_group_below_a_superuser_group_may_read()
    {
        var admins = await app.AddGroupAsync(ApiJsonClient.Unique("admins-"), isSuperuser: true);
        var child = await app.AddGroupAsync(ApiJsonClient.Unique("ops-"), parent: admins);
        var user = await app.AddUserAsync(ApiJsonClient.Unique("operator-"), null, child);
        using var client = app.ApiClient(await app.AddTokenAsync(user));
        await client.GetJsonAsync("/api/v3/core/users/");
        await client.GetJsonAsync("/api/v3/core/users"); // scripts that drop authentik's trailing slash still work
    }
}
