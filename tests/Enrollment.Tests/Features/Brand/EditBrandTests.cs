using System.Net;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Brand;

public sealed class EditBrandTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task Admin_changes_the_title_and_default_application_and_the_change_is_audited()
    {
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync("/if/admin/brand/",
            ("Input.BrandingTitle", "Acme <Onboarding>"), ("Input.DefaultApplicationUrl", "https://apps.example.com/start"));
        response.AssertRedirect("/if/admin/brand/");

        var brand = await app.DbAsync(db => db.Brands.SingleAsync(b => b.Default));
        Assert.Equal("Acme <Onboarding>", brand.BrandingTitle);
        Assert.Equal("https://apps.example.com/start", brand.DefaultApplicationUrl);
        Assert.True(await app.DbAsync(db => db.Events.AnyAsync(e => e.Action == "model_updated")));

        var page = await client.GetPageAsync("/if/admin/brand/");
        Assert.Equal("Acme <Onboarding>", page.QuerySelector("header .brand")!.TextContent);

        (await client.PostFormAsync("/if/admin/brand/", ("Input.BrandingTitle", "Acme"), ("Input.DefaultApplicationUrl", ""))).AssertRedirect("/if/admin/brand/");
        Assert.Null(await app.DbAsync(db => db.Brands.Where(b => b.Default).Select(b => b.DefaultApplicationUrl).SingleAsync()));
    }

    [Theory]
    [InlineData("Title", "javascript:alert(1)", "Input.DefaultApplicationUrl", "Enter an absolute address starting with http:// or https://.")]
    [InlineData("Title", "/relative/path", "Input.DefaultApplicationUrl", "Enter an absolute address starting with http:// or https://.")]
    [InlineData("Title", "ftp://files.example.com/", "Input.DefaultApplicationUrl", "Enter an absolute address starting with http:// or https://.")]
    [InlineData("", "https://ok.example.com/", "Input.BrandingTitle", "Enter a title.")]
    public async Task Bad_input_is_shown_next_to_the_field_and_nothing_is_saved(string title, string url, string field, string message)
    {
        using var client = await app.AdminClientAsync();
        var before = await app.DbAsync(db => db.Brands.Where(b => b.Default).Select(b => new { b.BrandingTitle, b.DefaultApplicationUrl }).SingleAsync());
        var response = await client.PostFormAsync("/if/admin/brand/", ("Input.BrandingTitle", title), ("Input.DefaultApplicationUrl", url));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal(message, page.QuerySelector($"[data-valmsg-for='{field}']")!.TextContent.Trim());
        var after = await app.DbAsync(db => db.Brands.Where(b => b.Default).Select(b => new { b.BrandingTitle, b.DefaultApplicationUrl }).SingleAsync());
        Assert.Equal(before, after);
    }
}
