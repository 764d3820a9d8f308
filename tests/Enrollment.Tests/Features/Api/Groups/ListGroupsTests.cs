using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.Groups;

/// <summary><c>GET /api/v3/core/groups/</c>: parents, attributes, members, filters and paging.</summary>
[Collection(GroupsApiCollection.Name)]
public sealed class ListGroupsTests(Hosts.Default app)
{
    private const string List = "/api/v3/core/groups/";

    [Fact]
    public async Task Lists_groups_with_parent_attributes_and_members()
    {
        var p = ApiJsonClient.Unique("shape");
        var parent = await app.AddGroupAsync($"{p}-admins", isSuperuser: true, attributes: new JsonObject { ["notes"] = "root", ["quota"] = 5 });
        var child = await app.AddGroupAsync($"{p}-ops", parent: parent);
        var ann = await app.AddUserAsync($"{p}-ann", null, child);
        var ben = await app.AddUserAsync($"{p}-ben", null, child);
        using var client = app.ApiClient();

        var page = await client.GetJsonAsync($"{List}?search={p}");
        Assert.Equal([$"{p}-admins", $"{p}-ops"], page.Strings("name"));
        var root = page.Results()[0]!;
        Assert.Equal(["pk", "num_pk", "name", "is_superuser", "parents", "parents_obj", "users", "users_obj", "attributes", "roles", "roles_obj",
            "inherited_roles_obj", "children", "children_obj"], root.Keys());
        Assert.Equal(parent.Id.ToString(), (string?)root["pk"]);
        Assert.True((bool)root["is_superuser"]!);
        Assert.Empty(root["parents"]!.AsArray());
        Assert.Null(root["parents_obj"]); // only with include_parents
        Assert.Null(root["children_obj"]); // only with include_children
        Assert.Equal([child.Id.ToString()], root["children"]!.AsArray().Select(c => (string?)c));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"notes":"root","quota":5}"""), root["attributes"]), root["attributes"]!.ToJsonString());
        Assert.Empty(root["users"]!.AsArray());

        var ops = page.Results()[1]!;
        Assert.False((bool)ops["is_superuser"]!); // the group's own flag, not inherited
        Assert.Equal([parent.Id.ToString()], ops["parents"]!.AsArray().Select(g => (string?)g));
        Assert.Equal("{}", ops["attributes"]!.ToJsonString());
        Assert.Equal([ann.Id, ben.Id], ops["users"]!.AsArray().Select(u => (int)u!));
        Assert.Equal([ann.UserName, ben.UserName], ops["users_obj"]!.AsArray().Select(u => (string?)u!["username"]));

        var included = (await client.GetJsonAsync($"{List}?search={p}&include_users=false&include_parents=true&include_children=true")).Results();
        Assert.Null(included[1]!["users_obj"]);
        Assert.Equal($"{p}-admins", (string?)included[1]!["parents_obj"]![0]!["name"]);
        Assert.Equal($"{p}-ops", (string?)included[0]!["children_obj"]![0]!["name"]);
    }

    [Fact]
    public async Task Filters_by_name_superuser_flag_and_search_and_orders()
    {
        var p = ApiJsonClient.Unique("flt");
        await app.AddGroupAsync($"{p}-a", isSuperuser: true);
        await app.AddGroupAsync($"{p}-b");
        await app.AddGroupAsync($"{p}-c");
        using var client = app.ApiClient();

        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{List}?name={p}-b")).Strings("name"));
        Assert.Empty((await client.GetJsonAsync($"{List}?name={p}")).Results()); // exact, not contains
        Assert.Equal([$"{p}-a"], (await client.GetJsonAsync($"{List}?search={p}&is_superuser=true")).Strings("name"));
        Assert.Equal([$"{p}-b", $"{p}-c"], (await client.GetJsonAsync($"{List}?search={p}&is_superuser=false")).Strings("name"));
        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{List}?search={p.ToUpperInvariant()}-B")).Strings("name")); // any case
        Assert.Equal([$"{p}-c", $"{p}-b", $"{p}-a"], (await client.GetJsonAsync($"{List}?search={p}&ordering=-name")).Strings("name"));
        Assert.Equal([$"{p}-b", $"{p}-c", $"{p}-a"], (await client.GetJsonAsync($"{List}?search={p}&ordering=is_superuser,name")).Strings("name"));
    }

    [Fact]
    public async Task Twenty_per_page_by_default_and_at_most_a_hundred()
    {
        var p = ApiJsonClient.Unique("many");
        for (var i = 0; i < 21; i++) await app.AddGroupAsync($"{p}-{i:00}");
        using var client = app.ApiClient();

        var first = await client.GetJsonAsync($"{List}?search={p}");
        Assert.Equal(20, first.Results().Count);
        Assert.Equal("""{"next":2,"previous":0,"count":21,"current":1,"total_pages":2,"start_index":1,"end_index":20}""", first["pagination"]!.ToJsonString());
        Assert.Equal([$"{p}-20"], (await client.GetJsonAsync($"{List}?search={p}&page=2")).Strings("name"));
        Assert.Equal(21, (await client.GetJsonAsync($"{List}?search={p}&page_size=1000")).Results().Count);
    }

    [Fact]
    public async Task A_bad_superuser_flag_is_a_400()
    {
        using var client = app.ApiClient();
        var body = await client.GetJsonAsync($"{List}?is_superuser=maybe", HttpStatusCode.BadRequest);
        Assert.Equal(["is_superuser"], body.Keys());
    }
}
