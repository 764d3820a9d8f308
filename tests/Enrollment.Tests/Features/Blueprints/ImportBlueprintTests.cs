using System.Net;
using System.Text;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Blueprints;

public sealed class ImportBlueprintTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task Importing_a_file_creates_its_objects_and_the_log_says_created()
    {
        using var client = await app.AdminClientAsync();
        var slug = BlueprintKit.Unique("imp");
        var page = await (await client.PostImportAsync(BlueprintKit.Tiny, $"slug: {slug}")).OkPageAsync();

        var flow = await app.DbAsync(db => db.Flows.SingleAsync(f => f.Slug == slug));
        Assert.Equal($"{slug} flow", flow.Name);
        Assert.Equal("Welcome aboard", flow.Title);
        Assert.True(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Name == $"{slug}-group")));
        Assert.Contains("The blueprint was imported.", page.QuerySelector("[role=status]")!.TextContent);
        var log = page.LogText();
        Assert.Contains("created authentik_flows.flow", log);
        Assert.Contains("created authentik_core.group", log);
        Assert.Empty(page.QuerySelectorAll("#import-log [role=alert]"));
    }

    [Fact]
    public async Task A_failing_import_changes_nothing_and_names_the_entry_and_field()
    {
        using var client = await app.AdminClientAsync();
        var slug = BlueprintKit.Unique("fail");
        var before = await app.DbAsync(db => db.Flows.CountAsync());
        var page = await (await client.PostImportAsync(BlueprintKit.Failing(slug))).OkPageAsync();

        Assert.Equal(before, await app.DbAsync(db => db.Flows.CountAsync()));
        Assert.False(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Slug == slug)));
        var alert = page.QuerySelector("#import-log [role=alert]")!.TextContent;
        Assert.Contains("Nothing was changed", alert);
        Assert.Contains("entries[1]", alert);
        Assert.Contains("field 'colour'", alert);
        var errorRow = page.QuerySelector("#import-log tr.log-error")!.TextContent;
        Assert.Contains("entries[1]", errorRow);
        Assert.Contains("colour", errorRow);
    }

    [Fact]
    public async Task Validate_only_writes_nothing_and_says_the_file_is_valid()
    {
        using var client = await app.AdminClientAsync();
        var slug = BlueprintKit.Unique("dry");
        var page = await (await client.PostImportAsync(BlueprintKit.Tiny, $"{{\"slug\": \"{slug}\"}}", dryRun: true)).OkPageAsync();

        Assert.Contains("Nothing was saved", page.QuerySelector("[role=status]")!.TextContent);
        Assert.Contains("created authentik_flows.flow", page.LogText());
        Assert.False(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Slug == slug)));
        Assert.False(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Name == $"{slug}-group")));
    }

    [Fact]
    public async Task Context_from_the_form_reaches_Context_tags_over_the_file_defaults()
    {
        using var client = await app.AdminClientAsync();
        var slug = BlueprintKit.Unique("ctx");
        await (await client.PostImportAsync(BlueprintKit.Tiny, $"slug: {slug}\ntitle: Hello from the form")).OkPageAsync();

        var flow = await app.DbAsync(db => db.Flows.SingleAsync(f => f.Slug == slug));
        Assert.Equal("Hello from the form", flow.Title);
    }

    [Fact]
    public async Task Invalid_context_is_a_form_error_and_nothing_is_imported()
    {
        using var client = await app.AdminClientAsync();
        var before = await app.DbAsync(db => db.Flows.CountAsync());
        var page = await (await client.PostImportAsync(BlueprintKit.Tiny, "{\"slug\": ")).OkPageAsync();
        Assert.Contains(TestClient.Errors(page), e => e.StartsWith("Line 1"));
        Assert.Null(page.QuerySelector("#import-log"));
        Assert.Equal(before, await app.DbAsync(db => db.Flows.CountAsync()));
    }

    [Fact]
    public async Task No_file_or_an_empty_file_is_a_form_error()
    {
        using var client = await app.AdminClientAsync();
        foreach (var response in new[] { await client.PostImportAsync(null), await client.PostImportAsync("") })
        {
            var page = await response.OkPageAsync();
            Assert.Contains("Choose a blueprint file (YAML) to import.", TestClient.Errors(page));
            Assert.Null(page.QuerySelector("#import-log"));
        }
    }

    [Fact]
    public async Task A_file_over_5_MB_is_a_form_error()
    {
        using var client = await app.AdminClientAsync();
        var big = Encoding.UTF8.GetBytes("# " + new string('x', 5 * 1024 * 1024));
        var page = await (await client.PostImportAsync(null, raw: big)).OkPageAsync();
        Assert.Contains(TestClient.Errors(page), e => e.Contains("larger than 5 MB"));
        Assert.Null(page.QuerySelector("#import-log"));
    }

    [Fact]
    public async Task An_upload_over_the_request_limit_is_a_413_with_a_message_not_a_500()
    {
        using var client = await app.AdminClientAsync();
        var huge = new byte[8 * 1024 * 1024];
        Array.Fill(huge, (byte)'#');
        var response = await client.PostImportAsync(null, raw: huge);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 5 MB", body);
    }

    [Fact]
    public async Task The_flows_list_links_to_the_import_page_and_the_page_needs_a_superuser()
    {
        using var admin = await app.AdminClientAsync();
        var flows = await admin.GetPageAsync("/if/admin/flows/");
        Assert.NotNull(flows.QuerySelector("a[href='/if/admin/flows/import/']"));
        Assert.NotNull(flows.QuerySelector("nav a[href='/if/admin/blueprints/']"));

        using var anonymous = app.NewClient();
        var response = await anonymous.Http.GetAsync("/if/admin/flows/import/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task Htmx_gets_only_the_panel_with_the_log()
    {
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync("/if/admin/flows/import/");
        var form = new MultipartFormDataContent
        {
            { new StringContent(TestClient.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent($"slug: {BlueprintKit.Unique("hx")}"), "Context" },
            { new StringContent("true"), "DryRun" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(BlueprintKit.Tiny)), "BlueprintFile", "b.yaml" },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/if/admin/flows/import/") { Content = form };
        request.Headers.Add("HX-Request", "true");
        var html = await (await client.Http.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.StartsWith("<div id=\"import-panel\"", html.TrimStart());
        Assert.DoesNotContain("<html", html);
        Assert.Contains("created authentik_flows.flow", html);
    }
}
