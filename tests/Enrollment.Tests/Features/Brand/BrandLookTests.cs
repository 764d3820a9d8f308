using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Features.Api;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Brand;

/// <summary>The brand's logo, favicon, background, stylesheet, footer links and language: edited, validated, shown.</summary>
public sealed class BrandLookTests(Hosts.Default app) : IClassFixture<Hosts.Default>, IAsyncLifetime
{
    public Task InitializeAsync() => Task.CompletedTask;

    // Each test starts from the plain brand (the fixture's app is shared by the class).
    public async Task DisposeAsync()
    {
        await app.DbAsync(async db =>
        {
            var brand = await db.Brands.SingleAsync(b => b.Default);
            (brand.BrandingLogo, brand.BrandingFavicon, brand.BrandingDefaultFlowBackground, brand.BrandingCustomCss, brand.DefaultLocale) = ("", "", "", "", "");
            brand.Attributes = [];
            await db.SaveChangesAsync();
        });
        app.Services.GetRequiredService<Enrollment.Infrastructure.Web.BrandTitle>().Forget();
    }

    private static (string, string)[] Form(string logo = "", string favicon = "", string background = "", string css = "", string locale = "", string attributes = "") =>
    [
        ("Input.BrandingTitle", "Acme"), ("Input.DefaultApplicationUrl", ""), ("Input.BrandingLogo", logo), ("Input.BrandingFavicon", favicon),
        ("Input.BrandingDefaultFlowBackground", background), ("Input.BrandingCustomCss", css), ("Input.DefaultLocale", locale),
        ("Input.Attributes", attributes),
    ];

    [Fact]
    public async Task The_admin_sets_the_look_and_every_invitee_page_shows_it()
    {
        using var admin = await app.AdminClientAsync();
        (await admin.PostFormAsync("/if/admin/brand/", Form(
            logo: "https://cdn.example.com/acme.svg", favicon: "/static/acme.ico", background: "https://img.example.net/bg\");x{}.jpg",
            css: ".flow-card { border-radius: 12px; }", locale: "de",
            attributes: "footer_links:\n  - name: Privacy\n    href: https://acme.example.com/privacy\n  - name: Evil\n    href: javascript:alert(1)\n"))).AssertRedirect("/if/admin/brand/");

        var brand = await app.DbAsync(db => db.Brands.AsNoTracking().SingleAsync(b => b.Default));
        Assert.Equal(("https://cdn.example.com/acme.svg", "/static/acme.ico", "de"), (brand.BrandingLogo, brand.BrandingFavicon, brand.DefaultLocale));
        var form = await admin.GetPageAsync("/if/admin/brand/");
        Assert.Equal(".flow-card { border-radius: 12px; }", form.QuerySelector("#Input_BrandingCustomCss")!.TextContent.Trim());
        Assert.Equal("de", form.QuerySelector("#Input_DefaultLocale option[selected]")!.GetAttribute("value"));

        using var invitee = app.NewClient();
        var response = await invitee.Http.GetAsync("/if/login/");
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("https://cdn.example.com/acme.svg", page.QuerySelector(".flow-brand img")!.GetAttribute("src"));
        Assert.Equal("Acme", page.QuerySelector(".flow-brand img")!.GetAttribute("alt"));
        Assert.Equal("/static/acme.ico", page.QuerySelector("link[rel=icon]")!.GetAttribute("href"));
        // Only the privacy link: an address that is not http(s) or a path is never linked.
        Assert.Equal(["Privacy"], page.QuerySelectorAll(".flow-footer a").Select(a => a.TextContent).ToList());
        Assert.Equal("https://acme.example.com/privacy", page.QuerySelector(".flow-footer a")!.GetAttribute("href"));
        // The CSP lets exactly the brand's picture hosts in, for pages.
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("img-src 'self' data: https://cdn.example.com https://img.example.net;", csp);
        Assert.Contains("style-src 'self';", csp);
        using var api = app.ApiClient();
        var apiResponse = await api.GetAsync("/api/v3/root/config/");
        Assert.Contains("img-src 'self' data:;", apiResponse.Headers.GetValues("Content-Security-Policy").Single());

        // The stylesheet: the background (quoted so the address cannot break out of the rule) and the custom CSS.
        var style = page.QuerySelector("link[rel=stylesheet][href^='/-/brand/style.css']")!.GetAttribute("href")!;
        var css = await invitee.Http.GetAsync(style);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", css.Headers.CacheControl!.ToString());
        var text = await css.Content.ReadAsStringAsync();
        Assert.Contains("""body.flow-page { background-image: url("https://img.example.net/bg\22 \29 ;x\7b \7d .jpg");""", text);
        Assert.EndsWith(".flow-card { border-radius: 12px; }", text);
        Assert.Contains("no-cache", (await invitee.Http.GetAsync("/-/brand/style.css?v=old")).Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Without_a_look_pages_show_Enrollments_logo_and_icon_and_link_no_brand_stylesheet()
    {
        using var invitee = app.NewClient();
        var page = await invitee.GetPageAsync("/if/login/");
        Assert.Equal("/img/logo.svg", page.QuerySelector(".flow-brand img")!.GetAttribute("src"));
        Assert.Equal("/img/icon.svg", page.QuerySelector("link[rel=icon]")!.GetAttribute("href"));
        Assert.Null(page.QuerySelector("link[href^='/-/brand/']"));
        Assert.Equal(HttpStatusCode.OK, (await invitee.Http.GetAsync("/img/logo.svg")).StatusCode);

        var favicon = await invitee.Http.GetAsync("/favicon.ico");
        Assert.Equal(HttpStatusCode.Redirect, favicon.StatusCode);
        Assert.Equal("/img/icon.svg", favicon.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await invitee.Http.GetAsync("/img/icon.svg")).StatusCode);

        using var admin = await app.AdminClientAsync();
        (await admin.PostFormAsync("/if/admin/brand/", Form(favicon: "https://cdn.example.com/fav.png"))).AssertRedirect("/if/admin/brand/");
        Assert.Equal("https://cdn.example.com/fav.png", (await invitee.Http.GetAsync("/favicon.ico")).Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("Input.BrandingLogo", "javascript:alert(1)", "Enter a path on this server starting with / or an address starting with https:// or http://.")]
    [InlineData("Input.BrandingLogo", "//evil.example.com/logo.svg", "Enter a path on this server starting with / or an address starting with https:// or http://.")]
    [InlineData("Input.BrandingFavicon", "data:image/svg+xml,<svg/onload=alert(1)>", "Enter a path on this server starting with / or an address starting with https:// or http://.")]
    [InlineData("Input.BrandingDefaultFlowBackground", "https://img.example.com/a b.jpg", "An address may not contain spaces or line breaks.")]
    [InlineData("Input.DefaultLocale", "xx", "Choose one of en, de, fr, es, nl, or leave it empty.")]
    [InlineData("Input.Attributes", "footer_links: [", null)]
    [InlineData("Input.Attributes", "- a list", null)]
    public async Task Bad_input_is_shown_next_to_its_field_and_nothing_is_saved(string field, string value, string? message)
    {
        using var admin = await app.AdminClientAsync();
        var fields = Form().Select(f => f.Item1 == field ? (field, value) : f).ToArray();
        var before = await app.DbAsync(db => db.Brands.AsNoTracking().SingleAsync(b => b.Default));
        var response = await admin.PostFormAsync("/if/admin/brand/", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        var shown = page.QuerySelector($"[data-valmsg-for='{field}']")!.TextContent.Trim();
        if (message is null) Assert.NotEmpty(shown); else Assert.Equal(message, shown);
        var after = await app.DbAsync(db => db.Brands.AsNoTracking().SingleAsync(b => b.Default));
        Assert.Equal((before.BrandingTitle, before.BrandingLogo, before.BrandingFavicon, before.BrandingDefaultFlowBackground, before.DefaultLocale, before.Attributes.ToJsonString()),
            (after.BrandingTitle, after.BrandingLogo, after.BrandingFavicon, after.BrandingDefaultFlowBackground, after.DefaultLocale, after.Attributes.ToJsonString()));
    }

    [Fact]
    public async Task A_stylesheet_over_64_KB_is_refused()
    {
        using var admin = await app.AdminClientAsync();
        var response = await admin.PostFormAsync("/if/admin/brand/", Form(css: new string('a', BrandAssets.MaxCustomCssLength + 1)));
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("The stylesheet may be at most 64 KB.", page.QuerySelector("[data-valmsg-for='Input.BrandingCustomCss']")!.TextContent.Trim());
        Assert.Equal("", await app.DbAsync(db => db.Brands.Where(b => b.Default).Select(b => b.BrandingCustomCss).SingleAsync()));
    }

    [Fact]
    public async Task Blueprints_and_the_API_set_the_same_fields_with_the_same_checks()
    {
        await app.ImportCleanAsync("""
            version: 1
            entries:
              - model: authentik_brands.brand
                identifiers: { domain: partners.example.com }
                attrs:
                  branding_title: Partners
                  branding_logo: https://cdn.example.com/partners.svg
                  branding_favicon: /static/partners.ico
                  branding_custom_css: "body { color: navy; }"
                  branding_default_flow_background: https://cdn.example.com/bg.jpg
                  default_locale: fr
                  attributes: { footer_links: [ { name: Help, href: "https://partners.example.com/help" } ] }
            """);
        var brand = await app.DbAsync(db => db.Brands.AsNoTracking().SingleAsync(b => b.Domain == "partners.example.com"));
        Assert.Equal(("https://cdn.example.com/partners.svg", "/static/partners.ico", "body { color: navy; }", "https://cdn.example.com/bg.jpg", "fr"),
            (brand.BrandingLogo, brand.BrandingFavicon, brand.BrandingCustomCss, brand.BrandingDefaultFlowBackground, brand.DefaultLocale));
        Assert.Equal("Help", (string?)brand.Attributes["footer_links"]![0]!["name"]);

        var refused = await app.ImportAsync("""
            version: 1
            entries:
              - model: authentik_brands.brand
                identifiers: { domain: partners.example.com }
                attrs: { branding_logo: "javascript:alert(1)", default_locale: klingon }
            """);
        Assert.False(refused.Success);
        Assert.Contains("branding_logo", refused.ToString());
        Assert.Equal("https://cdn.example.com/partners.svg", await app.DbAsync(db => db.Brands.Where(b => b.Domain == "partners.example.com").Select(b => b.BrandingLogo).SingleAsync()));

        using var api = app.ApiClient();
        var read = await api.GetJsonAsync($"/api/v3/core/brands/{brand.Id}/");
        Assert.Equal("https://cdn.example.com/partners.svg", (string?)read["branding_logo"]);
        Assert.Equal("fr", (string?)read["default_locale"]);
        var patched = await api.SendJsonAsync(HttpMethod.Patch, $"/api/v3/core/brands/{brand.Id}/", """{"branding_logo":"/static/other.svg","default_locale":"nl"}""", HttpStatusCode.OK);
        Assert.Equal("/static/other.svg", (string?)patched["branding_logo"]);
        var bad = await api.SendJsonAsync(HttpMethod.Patch, $"/api/v3/core/brands/{brand.Id}/", """{"branding_favicon":"javascript:alert(1)","default_locale":"xx"}""", HttpStatusCode.BadRequest);
        Assert.Equal(["branding_favicon", "default_locale"], bad.Keys().Order().ToList());
        Assert.Equal("nl", await app.DbAsync(db => db.Brands.Where(b => b.Id == brand.Id).Select(b => b.DefaultLocale).SingleAsync()));
    }
}
