using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Api.Blueprints;

/// <summary>
/// <c>/api/v3/managed/blueprints/</c> in authentik's shapes: the instances (list with filters, search, ordering and
/// paging; create, retrieve, update, partial update, delete; apply), the files available and the one-off import.
/// </summary>
public sealed class BlueprintInstancesApiTests(Hosts.WithWatchedBlueprints app) : IClassFixture<Hosts.WithWatchedBlueprints>
{
    private const string Root = "/api/v3/managed/blueprints/";

    private static readonly string[] InstanceFields =
        ["pk", "name", "path", "context", "last_applied", "last_applied_hash", "status", "enabled", "managed_models", "metadata", "content"];

    /// <summary>Every field authentik's BlueprintInstance requires, with its type.</summary>
    private static void AssertInstance(JsonNode? json)
    {
        var o = json!.AsObject();
        foreach (var field in InstanceFields) Assert.True(o.ContainsKey(field), $"missing {field}: {o.ToJsonString()}");
        Assert.True(Guid.TryParse((string?)o["pk"], out _));
        Assert.IsType<string>((string?)o["name"]);
        Assert.True(DateTimeOffset.TryParse((string?)o["last_applied"], out _));
        Assert.IsType<string>((string?)o["last_applied_hash"]);
        Assert.Contains((string?)o["status"], new[] { "successful", "warning", "error", "orphaned", "unknown" });
        Assert.IsType<JsonArray>(o["managed_models"]);
        Assert.IsType<JsonObject>(o["metadata"]);
        Assert.IsType<JsonObject>(o["context"]);
        Assert.IsType<bool>((bool)o["enabled"]!);
    }

    private static string Content(string slug) => $"version: 1\nentries:\n- model: authentik_flows.flow\n  identifiers: {{slug: {slug}}}\n  attrs: {{name: {slug}, title: !Context title, designation: enrollment}}\n";

    [Fact]
    public async Task The_list_has_authentiks_envelope_and_the_file_instance_and_filters_search_and_orders()
    {
        using var api = app.ApiClient();
        var page = await api.GetJsonAsync(Root);
        Assert.IsType<JsonObject>(page["autocomplete"]);
        foreach (var key in new[] { "next", "previous", "count", "current", "total_pages", "start_index", "end_index" }) Assert.NotNull(page["pagination"]![key]);
        foreach (var r in page.Results()) AssertInstance(r);
        var watched = page.Results().Single(r => (string?)r!["path"] == "watched.yaml")!;
        Assert.Equal(("Watched flow", "successful"), ((string?)watched["name"], (string?)watched["status"]));
        Assert.Equal(128, ((string)watched["last_applied_hash"]!).Length);

        Assert.Single((await api.GetJsonAsync(Root + "?path=watched.yaml")).Results());
        Assert.Empty((await api.GetJsonAsync(Root + "?name=nothing-like-it")).Results());
        Assert.Single((await api.GetJsonAsync(Root + "?search=WATCHED.Y")).Results());
        var name = ApiJsonClient.Unique("zz-order-");
        await api.SendJsonAsync(HttpMethod.Post, Root, $$"""{"name": "{{name}}"}""", HttpStatusCode.Created);
        Assert.Equal(name, (await api.GetJsonAsync(Root + "?ordering=-name&page_size=1")).Strings("name").Single());
        await api.GetJsonAsync(Root + "?page=0", HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_instance_with_content_is_created_retrieved_updated_applied_and_deleted()
    {
        using var api = app.ApiClient();
        var slug = ApiJsonClient.Unique("content-");
        var created = await api.SendJsonAsync(HttpMethod.Post, Root,
            new JsonObject { ["name"] = slug, ["content"] = Content(slug), ["context"] = new JsonObject { ["title"] = "From context" } }.ToJsonString(), HttpStatusCode.Created);
        AssertInstance(created);
        var pk = (string)created["pk"]!;
        AssertInstance(await api.GetJsonAsync($"{Root}{pk}/"));

        var applied = await api.SendJsonAsync(HttpMethod.Post, $"{Root}{pk}/apply/", null, HttpStatusCode.OK);
        AssertInstance(applied);
        Assert.Equal("successful", (string?)applied["status"]);
        Assert.Equal("From context", await app.DbAsync(db => db.Flows.Where(f => f.Slug == slug).Select(f => f.Title).SingleAsync()));

        var patched = await api.SendJsonAsync(HttpMethod.Patch, $"{Root}{pk}/", """{"enabled": false, "context": {"title": "Other"}}""", HttpStatusCode.OK);
        Assert.Equal((false, "Other"), ((bool)patched["enabled"]!, (string?)patched["context"]!["title"]));
        var put = await api.SendJsonAsync(HttpMethod.Put, $"{Root}{pk}/", new JsonObject { ["name"] = slug + "-renamed", ["enabled"] = true }.ToJsonString(), HttpStatusCode.OK);
        Assert.Equal((slug + "-renamed", Content(slug)), ((string?)put["name"], (string?)put["content"]));

        var response = await api.DeleteAsync($"{Root}{pk}/");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await api.GetJsonAsync($"{Root}{pk}/", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"{Root}{pk}/apply/", null)).StatusCode);
    }

    [Fact]
    public async Task Bad_bodies_are_400_with_the_field_and_nothing_is_saved()
    {
        using var api = app.ApiClient();
        var before = await app.DbAsync(db => db.BlueprintInstances.CountAsync());
        Assert.Equal("This field is required.", (string?)(await api.SendJsonAsync(HttpMethod.Post, Root, "{}", HttpStatusCode.BadRequest))["name"]![0]);
        Assert.Equal("Blueprint file does not exist",
            (string?)(await api.SendJsonAsync(HttpMethod.Post, Root, """{"name": "x-missing", "path": "nope.yaml"}""", HttpStatusCode.BadRequest))["path"]![0]);
        Assert.Equal("blueprint instance with this name already exists.",
            (string?)(await api.SendJsonAsync(HttpMethod.Post, Root, """{"name": "Watched flow"}""", HttpStatusCode.BadRequest))["name"]![0]);
        Assert.NotNull((await api.SendJsonAsync(HttpMethod.Post, Root, """{"name": "x-ctx", "context": [1]}""", HttpStatusCode.BadRequest))["context"]);
        var content = await api.SendJsonAsync(HttpMethod.Post, Root, """{"name": "x-bad", "content": "version: 2\nentries: []\n"}""", HttpStatusCode.BadRequest);
        Assert.Equal("Failed to validate blueprint", (string?)content["content"]![0]);
        await api.SendJsonAsync(HttpMethod.Post, Root, "{not json", HttpStatusCode.BadRequest);
        Assert.Equal(before, await app.DbAsync(db => db.BlueprintInstances.CountAsync()));
    }

    [Fact]
    public async Task Available_lists_the_files_as_BlueprintFile()
    {
        using var api = app.ApiClient();
        var files = (await api.GetJsonAsync(Root + "available/")).AsArray();
        var watched = files.Single(f => (string?)f!["path"] == "watched.yaml")!;
        Assert.True(DateTimeOffset.TryParse((string?)watched["last_m"], out _));
        Assert.Equal(128, ((string)watched["hash"]!).Length);
        Assert.Equal("""{"name":"Watched flow","labels":{"team":"tests"}}""", watched["meta"]!.ToJsonString());
    }

    private static MultipartFormDataContent Form(string? yaml = null, string? path = null, string? context = null)
    {
        var form = new MultipartFormDataContent();
        if (yaml is not null) form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(yaml)) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-yaml") } }, "file", "b.yaml");
        if (path is not null) form.Add(new StringContent(path), "path");
        if (context is not null) form.Add(new StringContent(context), "context");
        return form;
    }

    [Fact]
    public async Task Import_applies_a_file_or_a_path_once_and_answers_BlueprintImportResult_without_making_an_instance()
    {
        using var api = app.ApiClient();
        var before = await app.DbAsync(db => db.BlueprintInstances.CountAsync());
        var slug = ApiJsonClient.Unique("imported-");
        var response = await api.PostAsync(Root + "import/", Form(Content(slug), context: """{"title": "Imported"}"""));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((bool)body["success"]!);
        var log = body["logs"]!.AsArray().First()!.AsObject();
        foreach (var key in new[] { "timestamp", "log_level", "logger", "event", "attributes" }) Assert.True(log.ContainsKey(key), key);
        Assert.Equal("Imported", await app.DbAsync(db => db.Flows.Where(f => f.Slug == slug).Select(f => f.Title).SingleAsync()));

        var byPath = JsonNode.Parse(await (await api.PostAsync(Root + "import/", Form(path: "watched.yaml"))).Content.ReadAsStringAsync())!;
        Assert.True((bool)byPath["success"]!);
        var failed = JsonNode.Parse(await (await api.PostAsync(Root + "import/", Form("version: 2\nentries: []\n"))).Content.ReadAsStringAsync())!;
        Assert.False((bool)failed["success"]!);
        Assert.Equal("error", (string?)failed["logs"]![0]!["log_level"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync(Root + "import/", Form(path: "../outside.yaml"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync(Root + "import/", Form())).StatusCode);
        Assert.Equal(before, await app.DbAsync(db => db.BlueprintInstances.CountAsync()));
    }

    [Theory]
    [InlineData("GET", Root)]
    [InlineData("POST", Root)]
    [InlineData("GET", Root + "available/")]
    [InlineData("POST", Root + "import/")]
    [InlineData("POST", Root + "00000000-0000-0000-0000-000000000001/apply/")]
    [InlineData("DELETE", Root + "00000000-0000-0000-0000-000000000001/")]
    public async Task A_token_of_a_user_who_is_not_a_superuser_gets_403(string method, string url)
    {
        var user = await app.AddUserAsync(ApiJsonClient.Unique("plain-"));
        using var api = app.ApiClient(await app.AddTokenAsync(user));
        var response = await api.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent("{}", Encoding.UTF8, "application/json") });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
