using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Api.Contract;

/// <summary>Bad input to the writable resources: DRF's 400 per field (or 404, 415), never a 500, nothing written.</summary>
public sealed class ResourceWriteErrorTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    public static TheoryData<string, string, string, string> BadBodies => new()
    {
        // path, body, field, message fragment
        { "/api/v3/flows/instances/", """{"name":"x","title":"t","designation":"enrollment"}""", "slug", "This field is required." },
        { "/api/v3/flows/instances/", """{"name":"x","slug":"has space","title":"t","designation":"enrollment"}""", "slug", "letters, digits" },
        { "/api/v3/flows/instances/", """{"name":"x","slug":"ok-slug","title":"t","designation":"nonsense"}""", "designation", "is not one of" },
        { "/api/v3/flows/instances/", """{"name":"","slug":"ok-slug","title":"t","designation":"enrollment"}""", "name", "May not be empty." },
        { "/api/v3/flows/instances/", """{"name":"x","slug":"ok-slug","title":"t","designation":"enrollment","layout":7}""", "layout", "is not one of" },
        { "/api/v3/flows/bindings/", """{"target":"00000000-0000-0000-0000-000000000001","stage":"00000000-0000-0000-0000-000000000002","order":1}""", "target", "No authentik_flows.flow" },
        { "/api/v3/flows/bindings/", """{"target":"not-a-uuid","order":1}""", "target", "primary key" },
        { "/api/v3/stages/deny/", """{"deny_message":"no name"}""", "name", "This field is required." },
        { "/api/v3/stages/email/", """{"name":"e","port":"many"}""", "port", "whole number" },
        { "/api/v3/stages/email/", """{"name":"e","token_expiry":"weeks=nope"}""", "token_expiry", "" },
        { "/api/v3/stages/user_write/", """{"name":"w","create_users_group":"00000000-0000-0000-0000-000000000003"}""", "create_users_group", "No authentik_core.group" },
        { "/api/v3/stages/user_write/", """{"name":"w","user_type":"robot"}""", "user_type", "is not one of" },
        { "/api/v3/stages/prompt/stages/", """{"name":"p","fields":["00000000-0000-0000-0000-000000000004"]}""", "fields", "No authentik_stages_prompt.prompt" },
        { "/api/v3/stages/prompt/stages/", """{"name":"p","fields":"one"}""", "fields", "a list" },
        { "/api/v3/stages/prompt/prompts/", """{"name":"p","label":"l","type":"text"}""", "field_key", "This field is required." },
        { "/api/v3/stages/prompt/prompts/", """{"name":"p","field_key":"k","type":"text","max_length":0}""", "max_length", "between 1 and" },
        { "/api/v3/stages/prompt/prompts/", """{"name":"p\u0000","field_key":"k","type":"text"}""", "name", "NUL" },
        { "/api/v3/policies/expression/", """{"name":"p"}""", "expression", "This field is required." },
        { "/api/v3/policies/bindings/", """{"target":"00000000-0000-0000-0000-000000000005","order":0}""", "target", "No authentik_flows.flow" },
    };

    [Theory, MemberData(nameof(BadBodies))]
    public async Task A_bad_body_is_a_400_on_the_field_and_nothing_is_written(string path, string body, string field, string fragment)
    {
        using var client = app.ApiClient();
        var before = await CountsAsync();
        var (status, json) = await client.SendJsonAsync(HttpMethod.Post, path, body);
        Assert.True(status == HttpStatusCode.BadRequest, $"{(int)status} {json?.ToJsonString()}");
        var messages = json![field]?.AsArray().Select(m => (string)m!).ToList();
        Assert.True(messages is { Count: > 0 }, $"no message on '{field}': {json.ToJsonString()}");
        Assert.Contains(messages, m => m.Contains(fragment, StringComparison.Ordinal));
        Assert.Equal(before, await CountsAsync());
    }

    [Fact]
    public async Task A_taken_unique_value_is_a_400_on_that_field_for_create_and_update()
    {
        using var client = app.ApiClient();
        var p = ApiJsonClient.Unique("dup");
        await client.Post("/api/v3/stages/deny/", $$"""{"name":"{{p}}-a"}""");
        var b = await client.Post("/api/v3/stages/deny/", $$"""{"name":"{{p}}-b"}""");
        // Names are unique across kinds, as in authentik.
        var (status, json) = await client.SendJsonAsync(HttpMethod.Post, "/api/v3/stages/invitation/stages/", $$"""{"name":"{{p}}-a"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("stage with this name already exists.", (string)json!["name"]![0]!);
        (status, json) = await client.SendJsonAsync(HttpMethod.Patch, $"/api/v3/stages/deny/{b.Pk()}/", $$"""{"name":"{{p}}-a"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal($"{p}-b", (string)(await client.GetJsonAsync($"/api/v3/stages/deny/{b.Pk()}/"))["name"]!);

        await client.Post("/api/v3/flows/instances/", $$"""{"name":"x","slug":"{{p}}","title":"t","designation":"enrollment"}""");
        (status, json) = await client.SendJsonAsync(HttpMethod.Post, "/api/v3/flows/instances/", $$"""{"name":"y","slug":"{{p}}","title":"t","designation":"enrollment"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("flow with this slug already exists.", (string)json!["slug"]![0]!);
    }

    [Fact]
    public async Task Put_needs_every_required_field_and_patch_does_not()
    {
        using var client = app.ApiClient();
        var p = ApiJsonClient.Unique("put");
        await client.Post("/api/v3/flows/instances/", $$"""{"name":"x","slug":"{{p}}","title":"t","designation":"enrollment"}""");
        var (status, json) = await client.SendJsonAsync(HttpMethod.Put, $"/api/v3/flows/instances/{p}/", """{"name":"renamed"}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("This field is required.", (string)json!["slug"]![0]!);
        Assert.Equal("x", (string)(await client.GetJsonAsync($"/api/v3/flows/instances/{p}/"))["name"]!);
        Assert.Equal("renamed", (string)(await client.Patch($"/api/v3/flows/instances/{p}/", """{"name":"renamed","pk":"ignored","stages":[1]}"""))["name"]!);
    }

    [Theory]
    [InlineData("/api/v3/flows/instances/no-such-flow/")]
    [InlineData("/api/v3/stages/deny/00000000-0000-0000-0000-0000000000aa/")]
    [InlineData("/api/v3/stages/all/00000000-0000-0000-0000-0000000000aa/")]
    [InlineData("/api/v3/stages/prompt/prompts/00000000-0000-0000-0000-0000000000aa/")]
    [InlineData("/api/v3/flows/bindings/00000000-0000-0000-0000-0000000000aa/")]
    [InlineData("/api/v3/policies/expression/00000000-0000-0000-0000-0000000000aa/")]
    [InlineData("/api/v3/policies/bindings/00000000-0000-0000-0000-0000000000aa/")]
    [InlineData("/api/v3/events/events/00000000-0000-0000-0000-0000000000aa/")]
    [InlineData("/api/v3/stages/deny/not-a-uuid/")]
    public async Task Unknown_objects_are_404_for_every_method(string url)
    {
        using var client = app.ApiClient();
        foreach (var method in new[] { HttpMethod.Get, HttpMethod.Patch, HttpMethod.Put, HttpMethod.Delete })
        {
            if (url.Contains("/events/") && method != HttpMethod.Get) continue;
            if (url.Contains("/stages/all/") && method != HttpMethod.Get && method != HttpMethod.Delete) continue;
            var (status, json) = await client.SendJsonAsync(method, url, method == HttpMethod.Get || method == HttpMethod.Delete ? null : "{}");
            Assert.True(status == HttpStatusCode.NotFound, $"{method} {url}: {(int)status} {json?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Bodies_that_are_not_json_objects_are_drfs_answers()
    {
        using var client = app.ApiClient();
        var before = await CountsAsync();
        var (status, json) = await client.SendJsonAsync(HttpMethod.Post, "/api/v3/stages/deny/", "{\"name\": ");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("JSON parse error", (string)json!["detail"]!);
        (status, json) = await client.SendJsonAsync(HttpMethod.Post, "/api/v3/stages/deny/", "[1]");
        Assert.Equal("Invalid data. Expected a dictionary, but got list.", (string)json!["non_field_errors"]![0]!);
        var plain = await client.PostAsync("/api/v3/stages/deny/", new StringContent("""{"name":"plain"}""", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        Assert.Equal("Unsupported media type \"text/plain\" in request.", (string)JsonNode.Parse(await plain.Content.ReadAsStringAsync())!["detail"]!);
        Assert.Equal(before, await CountsAsync());
    }

    [Theory]
    [InlineData("/api/v3/flows/instances/?designation=nope", "designation")]
    [InlineData("/api/v3/flows/bindings/?target=nope", "target")]
    [InlineData("/api/v3/flows/bindings/?order=x", "order")]
    [InlineData("/api/v3/stages/prompt/prompts/?type=nope", "type")]
    [InlineData("/api/v3/policies/bindings/?enabled=maybe", "enabled")]
    [InlineData("/api/v3/policies/expression/?page_size=0", "page_size")]
    public async Task A_bad_filter_is_a_400_naming_it(string url, string field)
    {
        using var client = app.ApiClient();
        var json = await client.GetJsonAsync(url, HttpStatusCode.BadRequest);
        Assert.NotNull(json[field]);
    }

    private Task<string> CountsAsync() => app.DbAsync(async db =>
        $"{await db.Flows.CountAsync()} {await db.Stages.CountAsync()} {await db.Prompts.CountAsync()} {await db.Policies.CountAsync()} " +
        $"{await db.PolicyBindings.CountAsync()} {await db.FlowStageBindings.CountAsync()} {await db.Events.CountAsync()}");
}
