using System.Net;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Api.Groups;

/// <summary>Creating, changing and deleting groups through <c>/api/v3/core/groups/</c>, and <c>add_user/</c>/<c>remove_user/</c>.</summary>
[Collection(GroupsApiCollection.Name)]
public sealed class WriteGroupsTests(Hosts.Default app)
{
    private const string List = "/api/v3/core/groups/";

    [Fact]
    public async Task Creates_a_group_with_a_parent_and_members_and_records_the_event()
    {
        var parent = await app.AddGroupAsync(ApiJsonClient.Unique("parent-"));
        var ann = await app.AddUserAsync(ApiJsonClient.Unique("ann-"));
        var name = ApiJsonClient.Unique("new-");
        using var client = app.ApiClient();

        var created = await client.SendJsonAsync(HttpMethod.Post, List,
            $$"""{"name":"{{name}}","is_superuser":false,"parents":["{{parent.Id}}"],"users":[{{ann.Id}}],"attributes":{"k":"v"},"roles":[]}""", HttpStatusCode.Created);
        var pk = Guid.Parse((string)created["pk"]!);
        Assert.Equal([parent.Id.ToString()], created["parents"]!.AsArray().Select(g => (string?)g));
        Assert.Equal([ann.Id], created["users"]!.AsArray().Select(u => (int)u!));
        Assert.Equal(ann.UserName, (string?)created["users_obj"]![0]!["username"]);
        var group = await app.DbAsync(db => db.Groups.Include(g => g.Users).SingleAsync(g => g.Id == pk));
        Assert.Equal(parent.Id, group.ParentId);
        Assert.Equal([ann.Id], group.Users.Select(u => u.Id));
        Assert.True(await EventExistsAsync("model_created", pk));
        Assert.Equal([pk.ToString()], (await client.GetJsonAsync($"{List}{parent.Id}/"))["children"]!.AsArray().Select(c => (string?)c));
    }

    [Fact]
    public async Task Bad_input_is_a_400_per_field_and_writes_nothing()
    {
        var taken = await app.AddGroupAsync(ApiJsonClient.Unique("taken-"));
        var a = await app.AddGroupAsync(ApiJsonClient.Unique("a-"));
        var b = await app.AddGroupAsync(ApiJsonClient.Unique("b-"), parent: a);
        using var client = app.ApiClient();
        var before = await app.DbAsync(db => db.Groups.CountAsync());

        Assert.Equal("""{"name":["This field is required."]}""", (await client.SendJsonAsync(HttpMethod.Post, List, "{}", HttpStatusCode.BadRequest)).ToJsonString());
        Assert.Equal("""{"name":["Group with this name already exists."]}""",
            (await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"name":"{{taken.Name}}"}""", HttpStatusCode.BadRequest)).ToJsonString());
        var bad = await client.SendJsonAsync(HttpMethod.Post, List,
            $$"""{"name":"{{ApiJsonClient.Unique("x-")}}","parents":["{{a.Id}}","{{b.Id}}"],"users":[999999],"attributes":[1]}""", HttpStatusCode.BadRequest);
        Assert.Equal(["attributes", "parents", "users"], bad.Keys().Order().ToList());
        Assert.Equal(before, await app.DbAsync(db => db.Groups.CountAsync()));

        // A loop: a below b below a.
        var loop = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{a.Id}/", $$"""{"parents":["{{b.Id}}"]}""", HttpStatusCode.BadRequest);
        Assert.Equal(["parents"], loop.Keys());
        Assert.Null(await app.DbAsync(db => db.Groups.Where(g => g.Id == a.Id).Select(g => g.ParentId).SingleAsync()));
    }

    [Fact]
    public async Task Put_and_patch_change_a_group_and_unknown_ones_are_404()
    {
        var group = await app.AddGroupAsync(ApiJsonClient.Unique("edit-"));
        var ben = await app.AddUserAsync(ApiJsonClient.Unique("ben-"));
        using var client = app.ApiClient();

        var patched = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{group.Id}/", $$"""{"users":[{{ben.Id}}]}""", HttpStatusCode.OK);
        Assert.Equal([ben.Id], patched["users"]!.AsArray().Select(u => (int)u!));
        Assert.Equal(group.Name, (string?)patched["name"]);
        var renamed = group.Name + "-r";
        var put = await client.SendJsonAsync(HttpMethod.Put, $"{List}{group.Id}/", $$"""{"name":"{{renamed}}","users":[]}""", HttpStatusCode.OK);
        Assert.Equal(renamed, (string?)put["name"]);
        Assert.Empty(put["users"]!.AsArray());
        Assert.True(await EventExistsAsync("model_updated", group.Id));

        await client.SendJsonAsync(HttpMethod.Patch, $"{List}{Guid.NewGuid()}/", """{"name":"x"}""", HttpStatusCode.NotFound);
        await client.SendJsonAsync(HttpMethod.Delete, $"{List}{Guid.NewGuid()}/", null, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Deletes_a_group_but_not_one_with_children()
    {
        var parent = await app.AddGroupAsync(ApiJsonClient.Unique("p-"));
        var child = await app.AddGroupAsync(ApiJsonClient.Unique("c-"), parent: parent);
        using var client = app.ApiClient();

        var refused = await client.SendJsonAsync(HttpMethod.Delete, $"{List}{parent.Id}/", null, HttpStatusCode.BadRequest);
        Assert.Contains("child groups", (string?)refused["detail"]);
        var (status, _) = await client.SendJsonAsync(HttpMethod.Delete, $"{List}{child.Id}/", null);
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.False(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Id == child.Id)));
        Assert.True(await EventExistsAsync("model_deleted", child.Id));
    }

    [Fact]
    public async Task Adds_and_removes_members_by_pk()
    {
        var group = await app.AddGroupAsync(ApiJsonClient.Unique("m-"));
        var cy = await app.AddUserAsync(ApiJsonClient.Unique("cy-"));
        using var client = app.ApiClient();

        var (added, body) = await client.SendJsonAsync(HttpMethod.Post, $"{List}{group.Id}/add_user/", $$"""{"pk":{{cy.Id}}}""");
        Assert.Equal(HttpStatusCode.NoContent, added);
        Assert.Null(body);
        Assert.Equal([cy.Id], await Members(group.Id));
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendJsonAsync(HttpMethod.Post, $"{List}{group.Id}/add_user/", $$"""{"pk":{{cy.Id}}}""")).Status);
        Assert.Equal([cy.Id], await Members(group.Id));
        Assert.True(await EventExistsAsync("model_updated", group.Id));

        Assert.Equal(HttpStatusCode.NoContent, (await client.SendJsonAsync(HttpMethod.Post, $"{List}{group.Id}/remove_user/", $$"""{"pk":{{cy.Id}}}""")).Status);
        Assert.Empty(await Members(group.Id));

        var unknown = await client.SendJsonAsync(HttpMethod.Post, $"{List}{group.Id}/add_user/", """{"pk":999999}""", HttpStatusCode.BadRequest);
        Assert.Equal(["pk"], unknown.Keys());
        Assert.Equal(["pk"], (await client.SendJsonAsync(HttpMethod.Post, $"{List}{group.Id}/remove_user/", """{"pk":"x"}""", HttpStatusCode.BadRequest)).Keys());
        Assert.Equal(["pk"], (await client.SendJsonAsync(HttpMethod.Post, $"{List}{group.Id}/add_user/", "{}", HttpStatusCode.BadRequest)).Keys());
        var (missingGroup, missingBody) = await client.SendJsonAsync(HttpMethod.Post, $"{List}{Guid.NewGuid()}/add_user/", $$"""{"pk":{{cy.Id}}}""");
        Assert.Equal(HttpStatusCode.NotFound, missingGroup);
        Assert.Null(missingBody);
        Assert.Empty(await Members(group.Id));
    }

    [Fact]
    public async Task Filters_by_members_and_attributes()
    {
        var p = ApiJsonClient.Unique("gf");
        var x = await app.AddGroupAsync($"{p}-x", attributes: new() { ["tier"] = "gold" });
        var y = await app.AddGroupAsync($"{p}-y");
        var dee = await app.AddUserAsync(ApiJsonClient.Unique("dee-"), null, x);
        await app.AddUserAsync(ApiJsonClient.Unique("eve-"), null, y);
        using var client = app.ApiClient();

        Assert.Equal([$"{p}-x"], (await client.GetJsonAsync($"{List}?search={p}&members_by_username={dee.UserName}")).Strings("name"));
        Assert.Equal([$"{p}-x"], (await client.GetJsonAsync($"{List}?search={p}&members_by_pk={dee.Id}")).Strings("name"));
        Assert.Equal([$"{p}-x"], (await client.GetJsonAsync($"{List}?search={p}&attributes={Uri.EscapeDataString("""{"tier":"gold"}""")}")).Strings("name"));
        Assert.Equal(["attributes", "members_by_pk"],
            (await client.GetJsonAsync($"{List}?attributes=[1]&members_by_pk=abc", HttpStatusCode.BadRequest)).Keys().Order().ToList());
    }

    private Task<List<int>> Members(Guid group) => app.DbAsync(db => db.Groups.Where(g => g.Id == group).SelectMany(g => g.Users.Select(u => u.Id)).ToListAsync());

    private Task<bool> EventExistsAsync(string action, Guid pk) => app.DbAsync(async db =>
        (await db.Events.AsNoTracking().Where(e => e.Action == action).ToListAsync())
        .Any(e => (string?)e.Context["model"]?["pk"] == pk.ToString() && (string?)e.Context["model"]?["model_name"] == "group"));
}
