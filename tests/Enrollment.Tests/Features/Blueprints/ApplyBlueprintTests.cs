using System.Net;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Blueprints;

/// <summary><c>/if/admin/blueprints/apply/</c>: applying a file of the folder with the admin's context, and nothing outside the folder.</summary>
[Collection(ShippedBlueprintsCollection.Name)]
public sealed class ApplyBlueprintTests(Hosts.WithShippedBlueprints app)
{
    [Fact]
    public async Task Apply_shows_the_context_defaults_and_applies_with_the_admins_values()
    {
        using var client = await app.AdminClientAsync();
        const string url = "/if/admin/blueprints/apply/?path=examples%2Ftiny-enrollment.yaml";
        var form = await client.GetPageAsync(url);
        Assert.Equal("tiny-enrollment", form.QuerySelector("input[name='Values[slug]']")!.GetAttribute("value"));
        Assert.Equal("Welcome aboard", form.QuerySelector("input[name='Values[title]']")!.GetAttribute("value"));

        var slug = BlueprintKit.Unique("apply");
        var response = await client.PostFormAsync(url, ("Values[slug]", slug), ("Values[title]", "Welcome aboard"), ("Context", "title: From free context"));
        var page = await response.OkPageAsync();
        Assert.Contains("The blueprint was imported.", page.QuerySelector("[role=status]")!.TextContent);
        Assert.Contains("created authentik_flows.flow", page.LogText());
        var flow = await app.DbAsync(db => db.Flows.SingleAsync(f => f.Slug == slug));
        Assert.Equal("From free context", flow.Title);
        Assert.True(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Name == $"{slug}-group")));
    }

    [Fact]
    public async Task Apply_with_validate_only_writes_nothing()
    {
        using var client = await app.AdminClientAsync();
        var slug = BlueprintKit.Unique("applydry");
        var response = await client.PostFormAsync("/if/admin/blueprints/apply/?path=examples/tiny-enrollment.yaml", ("Values[slug]", slug), ("DryRun", "true"));
        Assert.Contains("Nothing was saved", (await response.OkPageAsync()).QuerySelector("[role=status]")!.TextContent);
        Assert.False(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Slug == slug)));
    }

    [Theory]
    [InlineData("../outside.yaml", HttpStatusCode.BadRequest)]
    [InlineData("examples/../../outside.yaml", HttpStatusCode.BadRequest)]
    [InlineData("..%2Foutside.yaml", HttpStatusCode.BadRequest)]
    [InlineData("%2Fetc%2Fpasswd", HttpStatusCode.BadRequest)]
    [InlineData("", HttpStatusCode.BadRequest)]
    [InlineData("examples/missing.yaml", HttpStatusCode.NotFound)]
    public async Task Paths_outside_the_folder_or_missing_are_refused(string path, HttpStatusCode expected)
    {
        using var client = await app.AdminClientAsync();
        var response = await client.Http.GetAsync($"/if/admin/blueprints/apply/?path={path}");
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Posting_an_outside_path_is_refused_and_imports_nothing()
    {
        using var client = await app.AdminClientAsync();
        var token = TestClient.AntiforgeryToken(await client.GetPageAsync("/if/admin/blueprints/apply/?path=system.yaml"));
        var response = await client.Http.PostAsync("/if/admin/blueprints/apply/?path=../outside.yaml",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task A_symbolic_link_out_of_the_folder_is_refused()
    {
        var link = Path.Combine(app.Root, "link.yaml");
        if (!File.Exists(link)) File.CreateSymbolicLink(link, Path.Combine(app.DataDirectory, "outside.yaml"));
        using var client = await app.AdminClientAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.Http.GetAsync("/if/admin/blueprints/apply/?path=link.yaml")).StatusCode);
    }
}
