using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Api.Blueprints;

public sealed class ImportFlowBlueprintTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Url = "/api/v3/flows/instances/import/";

    private static MultipartFormDataContent Form(string? yaml, string? context = null)
    {
        var form = new MultipartFormDataContent();
        if (yaml is not null) form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(yaml)), "file", "blueprint.yaml");
        if (context is not null) form.Add(new StringContent(context), "context");
        return form;
    }

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }

    [Fact]
    public async Task Import_succeeds_with_authentiks_answer_shape_and_context()
    {
        using var client = app.ApiClient();
        var slug = BlueprintKit.Unique("api");
        var json = await JsonAsync(await client.PostAsync(Url, Form(BlueprintKit.Tiny, $"{{\"slug\": \"{slug}\", \"title\": \"Via API\"}}")), HttpStatusCode.OK);

        Assert.Equal(["success", "logs"], json.AsObject().Select(p => p.Key));
        Assert.True((bool)json["success"]!);
        var created = json["logs"]!.AsArray().First(l => ((string)l!["event"]!).StartsWith("created authentik_flows.flow"))!;
        Assert.Equal(["log_level", "event", "entry", "id", "model", "field", "line"], created.AsObject().Select(p => p.Key));
        Assert.Equal("info", (string?)created["log_level"]);
        Assert.Equal(0, (int?)created["entry"]);
        Assert.Equal("Via API", (await app.DbAsync(db => db.Flows.SingleAsync(f => f.Slug == slug))).Title);
    }

    [Fact]
    public async Task A_failed_import_answers_success_false_with_the_error_and_changes_nothing()
    {
        using var client = app.ApiClient();
        var slug = BlueprintKit.Unique("apifail");
        var json = await JsonAsync(await client.PostAsync(Url, Form(BlueprintKit.Failing(slug))), HttpStatusCode.OK);

        Assert.False((bool)json["success"]!);
        var error = json["logs"]!.AsArray().Single(l => (string?)l!["log_level"] == "error")!;
        Assert.Equal(1, (int?)error["entry"]);
        Assert.Equal("colour", (string?)error["field"]);
        Assert.Equal("authentik_core.group", (string?)error["model"]);
        Assert.Equal("bad-group", (string?)error["id"]);
        Assert.NotNull((int?)error["line"]);
        Assert.False(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Slug == slug)));
    }

    [Fact]
    public async Task A_missing_file_is_a_400_in_DRFs_field_shape()
    {
        using var client = app.ApiClient();
        var json = await JsonAsync(await client.PostAsync(Url, Form(null, "{}")), HttpStatusCode.BadRequest);
        Assert.Equal("No file was submitted.", (string?)json["file"]![0]);

        var notMultipart = await JsonAsync(await client.PostAsync(Url, new StringContent("{}", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.NotNull(notMultipart["file"]);
    }

    [Fact]
    public async Task Invalid_context_is_a_400_naming_context()
    {
        using var client = app.ApiClient();
        var json = await JsonAsync(await client.PostAsync(Url, Form(BlueprintKit.Tiny, "[1, 2]")), HttpStatusCode.BadRequest);
        Assert.NotNull(json["context"]);
    }

    [Fact]
    public async Task Without_a_token_it_is_401_and_nothing_is_imported()
    {
        var slug = BlueprintKit.Unique("api401");
        using var client = app.ApiClient(token: null);
        var response = await client.PostAsync(Url, Form(BlueprintKit.Tiny, $"slug: {slug}"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var wrong = app.ApiClient("not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.PostAsync(Url, Form(BlueprintKit.Tiny, $"slug: {slug}"))).StatusCode);
        Assert.False(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Slug == slug)));
    }
}
