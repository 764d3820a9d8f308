using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Groups;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.Users;

/// <summary><c>GET /api/v3/core/users/</c>: authentik's fields, inherited superuser rights, filters and paging.</summary>
[Collection(UsersApiCollection.Name)]
public sealed class ListUsersTests(Hosts.Default app)
{
    private const string List = "/api/v3/core/users/";

    [Fact]
    public async Task Lists_users_with_authentiks_fields_groups_and_superuser_rights_inherited_from_parent_groups()
    {
        var admins = await app.AddGroupAsync(ApiJsonClient.Unique("admins-"), isSuperuser: true);
        var ops = await app.AddGroupAsync(ApiJsonClient.Unique("ops-"), parent: admins);
        var staff = await app.AddGroupAsync(ApiJsonClient.Unique("staff-"));
        var p = ApiJsonClient.Unique("shape");
        var joined = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        var ada = await app.AddUserAsync($"{p}-ada", u =>
        {
            u.Name = "Ada Lovelace";
            u.Path = "users/partners";
            u.Type = UserType.External;
            u.Attributes = new JsonObject { ["department"] = "Engineering", ["nested"] = new JsonObject { ["level"] = 2 } };
            u.DateJoined = joined;
            u.LastLogin = joined.AddDays(1);
        }, ops, staff);
        await app.AddUserAsync($"{p}-bob", u => u.Type = UserType.ServiceAccount, staff);
        using var client = app.ApiClient();

        var page = await client.GetJsonAsync($"{List}?search={p}");
        Assert.Equal([$"{p}-ada", $"{p}-bob"], page.Strings("username"));
        var row = page.Results()[0]!;
        Assert.Equal(["pk", "username", "name", "is_active", "last_login", "date_joined", "is_superuser", "groups", "groups_obj", "roles", "roles_obj",
            "email", "avatar", "attributes", "uid", "path", "type", "uuid", "password_change_date", "last_updated"], row.Keys());
        Assert.Equal(ada.Id, (int)row["pk"]!);
        Assert.Equal("Ada Lovelace", (string?)row["name"]);
        Assert.Equal($"{p}-ada@example.com", (string?)row["email"]);
        Assert.True((bool)row["is_active"]!);
        Assert.Equal("users/partners", (string?)row["path"]);
        Assert.Equal("external", (string?)row["type"]);
        // Semantic comparison: PostgreSQL's jsonb does not keep key order.
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"department":"Engineering","nested":{"level":2}}"""), row["attributes"]), row["attributes"]!.ToJsonString());
        var expectedGroups = new[] { ops, staff }.OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(expectedGroups.Select(g => g.Id.ToString()), row["groups"]!.AsArray().Select(g => (string?)g));
        Assert.Equal(new JsonArray(expectedGroups.Select(g => (JsonNode)new JsonObject { ["pk"] = g.Id.ToString(), ["num_pk"] = GroupNumber.Of(g.Id), ["name"] = g.Name, ["is_superuser"] = g.IsSuperuser, ["attributes"] = new JsonObject() }).ToArray()).ToJsonString(),
            row["groups_obj"]!.ToJsonString());
        Assert.True((bool)row["is_superuser"]!); // via ops → admins
        Assert.Equal("2026-01-03T03:04:05Z", (string?)row["last_login"]);
        Assert.Equal("2026-01-02T03:04:05Z", (string?)row["date_joined"]);

        var bob = page.Results()[1]!;
        Assert.False((bool)bob["is_superuser"]!);
        Assert.Equal("service_account", (string?)bob["type"]);
        Assert.Null(bob["last_login"]);
        Assert.True(bob.AsObject().ContainsKey("last_login"));
    }

    [Fact]
    public async Task Filters_by_username_email_path_type_activity_and_search()
    {
        var p = ApiJsonClient.Unique("flt");
        var word = ApiJsonClient.Unique("nm");
        await app.AddUserAsync($"{p}-a", u => { u.Path = $"{p}/team"; u.Type = UserType.Internal; });
        await app.AddUserAsync($"{p}-b", u => { u.Path = p; u.Type = UserType.External; u.IsActive = false; u.Name = $"Bea {word.ToUpperInvariant()}"; });
        await app.AddUserAsync($"{p}-c", u => { u.Path = $"x{p}"; u.Type = UserType.ServiceAccount; u.Email = $"ops-{p}@example.org"; });
        using var client = app.ApiClient();

        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{List}?username={p}-b")).Strings("username"));
        Assert.Empty((await client.GetJsonAsync($"{List}?username={p}")).Results()); // exact, not contains
        Assert.Equal([$"{p}-c"], (await client.GetJsonAsync($"{List}?email=ops-{p}@example.org")).Strings("username"));
        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{List}?path={p}")).Strings("username"));
        Assert.Equal([$"{p}-a", $"{p}-b"], (await client.GetJsonAsync($"{List}?path_startswith={p}")).Strings("username"));
        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{List}?search={p}&type=external")).Strings("username"));
        Assert.Equal([$"{p}-c"], (await client.GetJsonAsync($"{List}?search={p}&type=service_account")).Strings("username"));
        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{List}?search={p}&is_active=false")).Strings("username"));
        Assert.Equal([$"{p}-a", $"{p}-c"], (await client.GetJsonAsync($"{List}?search={p}&is_active=true")).Strings("username"));
        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{List}?search={word}")).Strings("username")); // name, any case
        Assert.Equal([$"{p}-c"], (await client.GetJsonAsync($"{List}?search=ops-{p}")).Strings("username")); // email
        Assert.Equal([$"{p}-c", $"{p}-b", $"{p}-a"], (await client.GetJsonAsync($"{List}?search={p}&ordering=-username")).Strings("username"));
    }

    [Fact]
    public async Task An_unknown_type_is_a_400_naming_the_choice()
    {
        using var client = app.ApiClient();
        var body = await client.GetJsonAsync($"{List}?type=robot", HttpStatusCode.BadRequest);
        Assert.Equal("""{"type":["Select a valid choice. robot is not one of the available choices."]}""", body.ToJsonString());
    }

    [Fact]
    public async Task Bad_values_for_several_parameters_are_reported_together()
    {
        using var client = app.ApiClient();
        var body = await client.GetJsonAsync($"{List}?is_active=maybe&page_size=x&type=Internal", HttpStatusCode.BadRequest);
        Assert.Equal(["page_size", "is_active", "type"], body.Keys());
    }

    [Fact]
    public async Task Pages_through_users()
    {
        var p = ApiJsonClient.Unique("pg");
        foreach (var n in new[] { "1", "2", "3", "4", "5" }) await app.AddUserAsync($"{p}-{n}");
        using var client = app.ApiClient();

        var second = await client.GetJsonAsync($"{List}?search={p}&page_size=2&page=2");
        Assert.Equal("""{"next":3,"previous":1,"count":5,"current":2,"total_pages":3,"start_index":3,"end_index":4}""", second["pagination"]!.ToJsonString());
        Assert.Equal([$"{p}-3", $"{p}-4"], second.Strings("username"));
        var third = await client.GetJsonAsync($"{List}?search={p}&page_size=2&page=3");
        Assert.Equal("""{"next":0,"previous":2,"count":5,"current":3,"total_pages":3,"start_index":5,"end_index":5}""", third["pagination"]!.ToJsonString());
        await client.GetJsonAsync($"{List}?search={p}&page_size=2&page=4", HttpStatusCode.NotFound);
    }
}
