using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Enrollment.Infrastructure.Web;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Infrastructure.Localization;

/// <summary>
/// Which language a page speaks, step by step: <c>?locale=</c> beats the signed-in user's
/// <c>attributes.settings.locale</c>, which beats the browser's <c>Accept-Language</c>, which beats the brand's
/// <c>default_locale</c>; a language we do not have passes to the next step, a regional one (<c>de-AT</c>) is its
/// language. The brand speaks Spanish throughout this class, so every step below it shows as something else.
/// </summary>
public sealed class LanguageChoiceTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private async Task BrandSpeaksAsync(string locale)
    {
        await app.DbAsync(db => db.Brands.Where(b => b.Default).ExecuteUpdateAsync(s => s.SetProperty(b => b.DefaultLocale, locale)));
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<BrandTitle>().Forget();
    }

    private async Task<TestClient> UserSpeakingAsync(string username, string locale)
    {
        await CreateUserAsync(app, username);
        await app.DbAsync(async db =>
        {
            var user = await db.Users.SingleAsync(u => u.UserName == username);
            user.Attributes = new JsonObject { ["settings"] = new JsonObject { ["locale"] = locale } };
            await db.SaveChangesAsync();
        });
        return await SignedInAsync(app, username);
    }

    /// <summary>The page's language: <c>&lt;html lang&gt;</c>, checked against the answer's <c>Content-Language</c> and the sign-in page's heading.</summary>
    private static async Task<string> LanguageOfAsync(TestClient client, string url, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        var response = await client.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        var lang = page.DocumentElement.GetAttribute("lang")!;
        Assert.Equal([lang], response.Content.Headers.ContentLanguage);
        return lang;
    }

    private static string Heading(IHtmlDocument page) => page.QuerySelector("h1")!.TextContent.Trim();

    [Fact]
    public async Task Without_any_wish_the_page_speaks_the_brands_default_language_and_english_when_the_brand_has_none()
    {
        using var client = app.NewClient();
        await BrandSpeaksAsync("es");
        Assert.Equal("es", await LanguageOfAsync(client, "/if/login/"));
        Assert.Equal("Iniciar sesión", Heading(await client.GetPageAsync("/if/login/")));
        await BrandSpeaksAsync("");
        Assert.Equal("en", await LanguageOfAsync(client, "/if/login/"));
        await BrandSpeaksAsync("it"); // not one we have
        Assert.Equal("en", await LanguageOfAsync(client, "/if/login/"));
    }

    [Theory]
    [InlineData("nl", "nl")]
    [InlineData("de-AT", "de")]
    [InlineData("fr-CA,fr;q=0.9,en;q=0.5", "fr")]
    [InlineData("it, nl;q=0.5, de;q=0.9", "de")] // by quality; Italian passed over
    [InlineData("it, pt-BR;q=0.8, zh-Hant", "es")] // nothing we have: the brand's
    [InlineData("*", "es")]
    [InlineData("not a language tag", "es")]
    public async Task The_browsers_languages_beat_the_brands(string acceptLanguage, string expected)
    {
        await BrandSpeaksAsync("es");
        using var client = app.NewClient();
        Assert.Equal(expected, await LanguageOfAsync(client, "/if/login/", acceptLanguage));
    }

    [Fact]
    public async Task The_users_own_language_beats_the_browsers_and_one_we_lack_passes_to_the_browser()
    {
        await BrandSpeaksAsync("es");
        using (var french = await UserSpeakingAsync("lang-user-fr", "fr"))
        {
            Assert.Equal("fr", await LanguageOfAsync(french, "/if/user/", "nl"));
            Assert.Equal("Bienvenue, Name of lang-user-fr", Heading(await french.GetPageAsync("/if/user/")));
        }
        using (var austrian = await UserSpeakingAsync("lang-user-de-at", "de_AT"))
            Assert.Equal("de", await LanguageOfAsync(austrian, "/if/user/", "nl"));
        using (var italian = await UserSpeakingAsync("lang-user-it", "it"))
            Assert.Equal("nl", await LanguageOfAsync(italian, "/if/user/", "nl"));
    }

    [Fact]
    public async Task The_address_beats_the_user_the_browser_and_the_brand_and_one_we_lack_passes_on()
    {
        await BrandSpeaksAsync("es");
        using var french = await UserSpeakingAsync("lang-query-fr", "fr");
        Assert.Equal("de", await LanguageOfAsync(french, "/if/user/?locale=de", "nl"));
        Assert.Equal("de", await LanguageOfAsync(french, "/if/user/?locale=de-AT", "nl"));
        Assert.Equal("nl", await LanguageOfAsync(french, "/if/user/?locale=NL", "de"));
        Assert.Equal("fr", await LanguageOfAsync(french, "/if/user/?locale=it", "nl")); // not one we have: the user's
        using var anonymous = app.NewClient();
        Assert.Equal("nl", await LanguageOfAsync(anonymous, "/if/login/?locale=xx", "nl"));
        Assert.Equal("es", await LanguageOfAsync(anonymous, "/if/login/?locale=", "it"));
    }

    [Fact]
    public async Task The_language_asked_for_in_a_flows_address_stays_for_that_flow_only()
    {
        await BrandSpeaksAsync("es");
        var setup = await GuideFlowAsync(app, "lang-kept");
        var invitation = await setup.InviteAsync(app, "lang-kept");
        using var client = app.NewClient();
        var link = setup.Link(invitation) + "&locale=fr";
        Assert.Equal("fr", await LanguageOfAsync(client, link, "nl"));
        // A wrong answer posts back to the flow and is shown again: still French.
        var retry = await PageOf(await client.SubmitAsync(link, await client.GetPageAsync(link), ("username", "")));
        Assert.Equal("fr", retry.DocumentElement.GetAttribute("lang"));
        Assert.Contains("Ce champ est obligatoire.", TestClient.Errors(retry));
        // The flow's own address without the query (where its redirects lead): French, whatever the browser says.
        Assert.Equal("fr", await LanguageOfAsync(client, FlowUrl(setup.Flow), "nl"));
        // Other pages are not that flow's: the browser's language, then the brand's.
        Assert.Equal("nl", await LanguageOfAsync(client, "/if/login/", "nl"));
        Assert.Equal("es", await LanguageOfAsync(client, "/if/login/"));
        var other = await GuideFlowAsync(app, "lang-other");
        Assert.Equal("nl", await LanguageOfAsync(client, other.Link(await other.InviteAsync(app, "lang-other")), "nl"));
    }

    [Fact]
    public async Task The_admin_console_and_the_set_up_page_stay_english_whatever_the_browser_asks_for()
    {
        await BrandSpeaksAsync("es");
        using var admin = await app.AdminClientAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/if/admin/flows/");
        request.Headers.TryAddWithoutValidation("Accept-Language", "de");
        var response = await admin.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Empty(response.Content.Headers.ContentLanguage);

        // The first administrator's set-up page is the admin's too (here without a set-up to do: its own 404).
        using var setup = new HttpRequestMessage(HttpMethod.Get, "/if/flow/initial-setup/");
        setup.Headers.TryAddWithoutValidation("Accept-Language", "de");
        var answer = await app.NewClient().Http.SendAsync(setup);
        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Equal("en", (await TestClient.ParseAsync(answer)).DocumentElement.GetAttribute("lang"));
    }
}
