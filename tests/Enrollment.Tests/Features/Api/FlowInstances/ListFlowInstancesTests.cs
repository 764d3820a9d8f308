using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.FlowInstances;

/// <summary><c>GET /api/v3/flows/instances/</c>: authentik's field names, filters, ordering and DRF's paging.</summary>
[Collection(FlowInstancesApiCollection.Name)]
public sealed class ListFlowInstancesTests(Hosts.Default app)
{
    [Fact]
    public async Task Lists_flows_with_authentiks_field_names_and_wire_values()
    {
        var slug = ApiJsonClient.Unique("shape-");
        var flow = (await app.AddFlowsAsync(new Flow
        {
            Slug = slug, Name = "Partner enrollment", Title = "Welcome, partner", Designation = FlowDesignation.StageConfiguration,
            Authentication = FlowAuthentication.RequireUnauthenticated, PolicyEngineMode = PolicyEngineMode.All,
            DeniedAction = DeniedAction.MessageContinue, Layout = FlowLayout.ContentLeft,
        }))[0];
        using var client = app.ApiClient();

        var page = await client.GetJsonAsync($"/api/v3/flows/instances/?slug={slug}");
        var row = Assert.Single(page.Results())!;
        Assert.Equal(["pk", "policybindingmodel_ptr_id", "name", "slug", "title", "designation", "background", "background_url",
            "background_themed_urls", "stages", "policies", "cache_count", "policy_engine_mode", "compatibility_mode", "export_url", "layout",
            "denied_action", "authentication"], row.Keys());
        Assert.Equal($"/api/v3/flows/instances/{slug}/export/", (string?)row["export_url"]);
        Assert.Equal(flow.Id.ToString(), (string?)row["pk"]);
        Assert.Equal(slug, (string?)row["slug"]);
        Assert.Equal("Partner enrollment", (string?)row["name"]);
        Assert.Equal("Welcome, partner", (string?)row["title"]);
        Assert.Equal("stage_configuration", (string?)row["designation"]);
        Assert.Equal("require_unauthenticated", (string?)row["authentication"]);
        Assert.Equal("all", (string?)row["policy_engine_mode"]);
        Assert.Equal("message_continue", (string?)row["denied_action"]);
        Assert.Equal("content_left", (string?)row["layout"]);
        Assert.Equal(["pagination", "results", "autocomplete"], page.Keys());
    }

    [Fact]
    public async Task Filters_by_slug_name_designation_and_search()
    {
        var p = ApiJsonClient.Unique("flt");
        var titleWord = ApiJsonClient.Unique("ttl");
        await app.AddFlowsAsync(
            new Flow { Slug = $"{p}-a", Name = $"{p} Alpha", Title = "Join the team", Designation = FlowDesignation.Enrollment },
            new Flow { Slug = $"{p}-b", Name = $"{p} Beta", Title = "Sign in", Designation = FlowDesignation.Authentication },
            new Flow { Slug = $"{p}-c", Name = $"{p} Gamma", Title = $"Reset your {titleWord.ToUpperInvariant()} here", Designation = FlowDesignation.Recovery });
        using var client = app.ApiClient();
        const string list = "/api/v3/flows/instances/";

        Assert.Equal([$"{p}-b"], (await client.GetJsonAsync($"{list}?slug={p}-b")).Strings("slug"));
        Assert.Equal([$"{p}-c"], (await client.GetJsonAsync($"{list}?name={p}%20Gamma")).Strings("slug"));
        Assert.Empty((await client.GetJsonAsync($"{list}?name={p}")).Results()); // exact, not contains
        Assert.Equal([$"{p}-a"], (await client.GetJsonAsync($"{list}?search={p}&designation=enrollment")).Strings("slug"));
        Assert.Equal([$"{p}-a", $"{p}-b", $"{p}-c"], (await client.GetJsonAsync($"{list}?search={p}")).Strings("slug")); // name or slug
        Assert.Equal([$"{p}-c"], (await client.GetJsonAsync($"{list}?search={titleWord}")).Strings("slug")); // title, any case
        Assert.Empty((await client.GetJsonAsync($"{list}?slug={p}-a&search={titleWord}")).Results()); // filters combine
    }

    [Fact]
    public async Task Orders_by_slug_unless_told_otherwise_and_ignores_unknown_fields()
    {
        var p = ApiJsonClient.Unique("ord");
        await app.AddFlowsAsync(
            new Flow { Slug = $"{p}-b", Name = "1" }, new Flow { Slug = $"{p}-c", Name = "0" }, new Flow { Slug = $"{p}-a", Name = "2" });
        using var client = app.ApiClient();
        var list = $"/api/v3/flows/instances/?search={p}";

        Assert.Equal([$"{p}-a", $"{p}-b", $"{p}-c"], (await client.GetJsonAsync(list)).Strings("slug"));
        Assert.Equal([$"{p}-c", $"{p}-b", $"{p}-a"], (await client.GetJsonAsync($"{list}&ordering=-slug")).Strings("slug"));
        Assert.Equal([$"{p}-c", $"{p}-b", $"{p}-a"], (await client.GetJsonAsync($"{list}&ordering=name")).Strings("slug"));
        Assert.Equal([$"{p}-a", $"{p}-b", $"{p}-c"], (await client.GetJsonAsync($"{list}&ordering=no_such_field")).Strings("slug"));
    }

    [Fact]
    public async Task An_unknown_designation_is_a_400_naming_the_choice()
    {
        using var client = app.ApiClient();
        var body = await client.GetJsonAsync("/api/v3/flows/instances/?designation=onboarding", HttpStatusCode.BadRequest);
        Assert.Equal("Select a valid choice. onboarding is not one of the available choices.", (string?)body["designation"]![0]);
    }

    [Fact]
    public async Task Pages_through_flows_one_at_a_time()
    {
        var p = ApiJsonClient.Unique("pg");
        await app.AddFlowsAsync(new Flow { Slug = $"{p}-1", Name = "x" }, new Flow { Slug = $"{p}-2", Name = "x" }, new Flow { Slug = $"{p}-3", Name = "x" });
        using var client = app.ApiClient();
        var list = $"/api/v3/flows/instances/?search={p}&page_size=1";

        var seen = new List<string>();
        foreach (var (page, next, previous) in new[] { (1, 2, 0), (2, 3, 1), (3, 0, 2) })
        {
            var body = await client.GetJsonAsync($"{list}&page={page}");
            var pagination = body["pagination"]!;
            Assert.Equal(["next", "previous", "count", "current", "total_pages", "start_index", "end_index"], pagination.Keys());
            Assert.Equal(next, (int)pagination["next"]!);
            Assert.Equal(previous, (int)pagination["previous"]!);
            Assert.Equal(3, (int)pagination["count"]!);
            Assert.Equal(page, (int)pagination["current"]!);
            Assert.Equal(3, (int)pagination["total_pages"]!);
            Assert.Equal(page, (int)pagination["start_index"]!);
            Assert.Equal(page, (int)pagination["end_index"]!);
            seen.Add(Assert.Single(body.Strings("slug")));
        }
        Assert.Equal([$"{p}-1", $"{p}-2", $"{p}-3"], seen);

        var last = await client.GetJsonAsync($"{list}&page=last");
        Assert.Equal(3, (int)last["pagination"]!["current"]!);
        var two = await client.GetJsonAsync($"/api/v3/flows/instances/?search={p}&page_size=2&page=2");
        Assert.Equal((3, 3), ((int)two["pagination"]!["start_index"]!, (int)two["pagination"]!["end_index"]!));
    }

    [Fact]
    public async Task An_empty_list_is_page_one_of_one()
    {
        using var client = app.ApiClient();
        var body = await client.GetJsonAsync("/api/v3/flows/instances/?search=nothing-matches-this");
        Assert.Equal("""{"next":0,"previous":0,"count":0,"current":1,"total_pages":1,"start_index":0,"end_index":0}""", body["pagination"]!.ToJsonString());
        Assert.Empty(body.Results());
    }

    [Theory]
    [InlineData("page=abc", "page", "Invalid page.")]
    [InlineData("page=0", "page", "Invalid page.")]
    [InlineData("page=-1", "page", "Invalid page.")]
    [InlineData("page=1.5", "page", "Invalid page.")]
    [InlineData("page_size=abc", "page_size", "Invalid page size.")]
    [InlineData("page_size=0", "page_size", "Invalid page size.")]
    public async Task A_page_or_page_size_that_is_not_a_positive_integer_is_a_400(string query, string field, string message)
    {
        using var client = app.ApiClient();
        var body = await client.GetJsonAsync($"/api/v3/flows/instances/?{query}", HttpStatusCode.BadRequest);
        Assert.Equal([field], body.Keys());
        Assert.Equal(message, (string?)body[field]![0]);
    }

    [Fact]
    public async Task A_page_past_the_last_is_drfs_404()
    {
        var p = ApiJsonClient.Unique("past");
        await app.AddFlowsAsync(new Flow { Slug = $"{p}-1", Name = "x" }, new Flow { Slug = $"{p}-2", Name = "x" });
        using var client = app.ApiClient();
        await client.GetJsonAsync($"/api/v3/flows/instances/?search={p}&page_size=1&page=2");
        var body = await client.GetJsonAsync($"/api/v3/flows/instances/?search={p}&page_size=1&page=3", HttpStatusCode.NotFound);
        Assert.Equal("""{"detail":"Invalid page."}""", body.ToJsonString());
    }
}
