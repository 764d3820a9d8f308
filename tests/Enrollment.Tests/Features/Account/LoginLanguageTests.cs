using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Account;

/// <summary>Sign-in and sign-out speak the visitor's language: labels, buttons, the form's messages and its summary.</summary>
public sealed class LoginLanguageTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private TestClient FrenchBrowser()
    {
        var client = app.NewClient();
        client.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "fr-BE, fr;q=0.9, en;q=0.1");
        return client;
    }

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)!.TextContent.Trim();

    [Fact]
    public async Task The_sign_in_page_is_in_french_for_a_french_browser()
    {
        using var client = FrenchBrowser();
        var page = await client.GetPageAsync("/if/login/");
        Assert.Equal("fr", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Se connecter", Text(page, "main h1"));
        Assert.StartsWith("Se connecter · ", page.Title);
        Assert.Equal(["Nom d’utilisateur ou adresse e-mail", "Mot de passe"], page.QuerySelectorAll("main form label").Select(l => l.TextContent.Trim()));
        Assert.Equal("Se connecter", Text(page, "main form button[type=submit]"));
    }

    [Fact]
    public async Task Missing_and_wrong_credentials_are_explained_in_french()
    {
        using var client = FrenchBrowser();
        var empty = await TestClient.ParseAsync(await client.PostFormAsync("/if/login/", ("Input.Username", ""), ("Input.Password", "")));
        Assert.Equal("2 champs demandent votre attention.", Text(empty, ".error-summary-title"));
        Assert.Equal(["Saisissez votre nom d’utilisateur ou votre adresse e-mail.", "Saisissez votre mot de passe."],
            empty.QuerySelectorAll(".field-error").Select(e => e.TextContent.Trim()).Where(t => t.Length > 0));

        var wrong = await TestClient.ParseAsync(await client.PostFormAsync("/if/login/", ("Input.Username", "akadmin"), ("Input.Password", "not the password")));
        Assert.Equal("Le formulaire n’a pas pu être enregistré.", Text(wrong, ".error-summary-title"));
        Assert.Equal("Nom d’utilisateur ou mot de passe incorrect.", Text(wrong, ".error-summary li"));
    }

    [Fact]
    public async Task Sign_out_and_the_user_page_are_in_french_and_english_is_unchanged_for_a_browser_asking_nothing()
    {
        await CreateUserAsync(app, "login-fr");
        using var client = FrenchBrowser();
        await client.LoginAsync("login-fr", Password);
        var home = await client.GetPageAsync("/if/user/");
        Assert.Equal("Mon compte", home.Title!.Split(" · ")[0]);
        Assert.Equal("Se déconnecter", Text(home, "form[action='/if/logout/'] button"));
        var signOut = await client.GetPageAsync("/if/logout/");
        Assert.Equal("Se déconnecter", Text(signOut, "main h1"));

        using var english = app.NewClient();
        var page = await english.GetPageAsync("/if/login/");
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal(["Username or email", "Password"], page.QuerySelectorAll("main form label").Select(l => l.TextContent.Trim()));
        var wrong = await TestClient.ParseAsync(await english.PostFormAsync("/if/login/", ("Input.Username", "akadmin"), ("Input.Password", "not the password")));
        Assert.Equal("Invalid username or password.", Text(wrong, ".error-summary li"));
        Assert.Equal(HttpStatusCode.OK, (await english.Http.GetAsync("/if/login/")).StatusCode);
    }
}
