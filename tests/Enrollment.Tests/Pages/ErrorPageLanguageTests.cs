using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Pages;

/// <summary>The error page speaks the visitor's language: its heading, its explanation, a refused form's reason.</summary>
public sealed class ErrorPageLanguageTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private TestClient FrenchBrowser()
    {
        var client = app.NewClient();
        client.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "fr-FR,fr;q=0.9");
        return client;
    }

    private static async Task<IHtmlDocument> ErrorPageAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("fr", page.DocumentElement.GetAttribute("lang"));
        return page;
    }

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)!.TextContent.Trim();

    [Fact]
    public async Task A_page_that_does_not_exist_is_explained_in_french()
    {
        using var client = FrenchBrowser();
        var page = await ErrorPageAsync(await client.Http.GetAsync("/if/flow/no-such-flow-here/"), HttpStatusCode.NotFound);
        Assert.Equal("Introuvable", Text(page, "main h1"));
        Assert.Equal("Il n’y a rien à cette adresse. Le contenu a peut-être été supprimé, ou le lien est mal saisi.", Text(page, "main p"));
        Assert.Equal("Retour à la page d’accueil", Text(page, "main a[href='/']"));
        Assert.StartsWith("Introuvable · ", page.Title);
        Assert.Equal("Aller au contenu", Text(page, "a.skip"));
    }

    [Fact]
    public async Task A_refused_request_says_why_in_french_and_the_address_may_choose_the_language()
    {
        using var client = FrenchBrowser();
        var page = await ErrorPageAsync(await client.Http.GetAsync("/if/login/?next=%00"), HttpStatusCode.BadRequest);
        Assert.Equal("Requête incorrecte", Text(page, "main h1"));
        Assert.Equal("L’adresse contient des caractères qu’aucun champ n’accepte (un caractère NUL).", Text(page, "main p"));

        // The error page of an address that asks for a language speaks it, whatever the browser says.
        using var english = app.NewClient();
        english.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "en");
        page = await ErrorPageAsync(await english.Http.GetAsync("/if/flow/no-such-flow-here/?locale=fr"), HttpStatusCode.NotFound);
        Assert.Equal("Introuvable", Text(page, "main h1"));
    }

    [Fact]
    public async Task A_form_over_the_size_limit_is_refused_in_french_with_the_limits_written_the_french_way()
    {
        using var client = FrenchBrowser();
        var fields = Enumerable.Range(0, 2000).Select(i => new KeyValuePair<string, string>($"f{i}", "x"));
        var page = await ErrorPageAsync(await client.Http.PostAsync("/if/login/", new FormUrlEncodedContent(fields)), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("Trop volumineux", Text(page, "main h1"));
        Assert.Equal("Le formulaire dépasse 1\u00a0Mo ou compte plus de 1\u202f024 champs. Rien n’a été enregistré.", Text(page, "main p"));
    }
}
