using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// An invitee whose browser asks for German walks a whole enrollment without JavaScript: the page frame, the step
/// indicator, the buttons, every validation error, the user page and the denial come in German, dates and numbers too;
/// what the admin typed (the flow's title, the prompts' labels, a deny stage's own message) stays as typed.
/// </summary>
public sealed class FlowInGermanTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private TestClient GermanBrowser()
    {
        var client = app.NewClient();
        client.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "de-DE,de;q=0.9,en;q=0.5");
        return client;
    }

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim()
        ?? throw new Xunit.Sdk.XunitException($"Nothing matches {selector}: {TestClient.Excerpt(page.DocumentElement.OuterHtml)}");

    private static List<string> Texts(IHtmlDocument page, string selector) => page.QuerySelectorAll(selector).Select(e => e.TextContent.Trim()).ToList();

    [Fact]
    public async Task A_german_invitee_enrolls_in_german_and_the_admins_own_words_stay_as_typed()
    {
        var setup = await GuideFlowAsync(app, "de-walk", type: UserType.Internal);
        await BindPromptStageAsync(app, setup.Flow, "attributes.department", 15); // a second stage with a form: "Schritt 2 von 2"
        var invitation = await setup.InviteAsync(app, "de-walk");
        var link = setup.Link(invitation);
        using var client = GermanBrowser();

        var page = await client.GetPageAsync(link);
        Assert.Equal("de", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Welcome to de-walk", Text(page, "#flow-card h1")); // the flow's title, as the admin wrote it
        Assert.Equal("Schritt 1 von 2", Text(page, "#flow-card .flow-step"));
        Assert.StartsWith("Welcome to de-walk · Schritt 1 von 2 · ", page.Title);
        Assert.Equal(["Username", "Name", "Email", "Password", "Password (repeat)"], Texts(page, "#flow-card label"));
        Assert.Equal("Weiter", Text(page, "#flow-card button[type=submit]"));
        Assert.Equal("Zum Inhalt springen", Text(page, "a.skip"));
        Assert.Equal("Bereitgestellt von Enrollment", Text(page, ".flow-footer span"));

        // Nothing filled in: every field is required, in German, and the summary counts them.
        var empty = await PageOf(await client.SubmitAsync(link, page));
        Assert.Equal("de", empty.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Bitte prüfen Sie die 5 markierten Felder.", Text(empty, "#flow-card .error-summary-title"));
        Assert.Equal(Enumerable.Repeat("Dieses Feld ist erforderlich.", 5), Texts(empty, "#flow-card .field-error"));
        Assert.Equal(["Username", "Name", "Email", "Password", "Password (repeat)"], Texts(empty, "#flow-card .error-summary a"));

        // Wrong values: the address and the repeated password, in German.
        var wrong = await PageOf(await client.SubmitAsync(link, empty,
            ("username", "de-walker"), ("name", "Name of de-walker"), ("email", "kein-adresse"), ("password", Password), ("password_repeat", "Anderes-Passw0rt!")));
        Assert.Equal("Bitte prüfen Sie die 2 markierten Felder.", Text(wrong, "#flow-card .error-summary-title"));
        Assert.Equal("Geben Sie eine gültige E-Mail-Adresse ein.", Text(wrong, "#field-email-error"));
        Assert.Equal("Die Passwörter stimmen nicht überein.", Text(wrong, "#field-password_repeat-error"));

        // Right values: on to the second stage, still German.
        var second = await PageAfterAsync(client, await client.SubmitAsync(link, wrong, Answers("de-walker")));
        Assert.Equal("Schritt 2 von 2", Text(second, "#flow-card .flow-step"));
        Assert.Equal(["Label of attributes.department"], Texts(second, "#flow-card label"));

        var done = await client.SubmitAsync(FlowUrl(setup.Flow), second, ("attributes.department", "Vertrieb"));
        done.AssertRedirect("/if/user/");
        var home = await client.GetPageAsync("/if/user/");
        Assert.Equal("de", home.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Erfolgreich angemeldet!", Text(home, ".flash"));
        Assert.Equal("Willkommen, Name of de-walker", Text(home, "h1"));
        Assert.Equal("Angemeldet als de-walker", Text(home, ".whoami"));
        Assert.Equal(["Benutzername", "Name", "E-Mail", "Pfad", "Gruppen"], Texts(home, "dt"));
        Assert.Equal("Abmelden", Text(home, "form[action='/if/logout/'] button"));

        // The invitation is used up: a second German invitee reads the denial in German.
        using var second_invitee = GermanBrowser();
        var denied = await second_invitee.GetPageAsync(link);
        Assert.Equal("de", denied.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Die Anfrage wurde abgelehnt.", Text(denied, "#flow-card .denied h1"));
        Assert.Equal("Diese Einladung wurde bereits verwendet. Bitten Sie die Person, die Sie eingeladen hat, um eine neue.", Denial(denied));
        Assert.StartsWith("Die Anfrage wurde abgelehnt · Welcome to de-walk", denied.Title);
    }

    [Fact]
    public async Task The_password_rules_their_errors_and_the_strength_meter_read_in_german()
    {
        var setup = await GuideFlowAsync(app, "de-password", type: UserType.Internal);
        var invitation = await setup.InviteAsync(app, "de-password", singleUse: false);
        var link = setup.Link(invitation);
        using var client = GermanBrowser();

        // No policy bound: the default policy's hint, and the meter's five readings for password-strength.js.
        var page = await client.GetPageAsync(link);
        Assert.Equal("Mindestens 8 Zeichen; vermeiden Sie gängige Wörter und Muster.", Text(page, "#flow-card .password-rules"));
        Assert.Equal("Geschätzte Stärke: sehr schwach|Geschätzte Stärke: schwach|Geschätzte Stärke: mittel|Geschätzte Stärke: gut|Geschätzte Stärke: stark",
            page.QuerySelector("#flow-card .password-rules")!.GetAttribute("data-strength-labels"));

        var tooShort = await PageOf(await client.SubmitAsync(link, page,
            ("username", "de-pw"), ("name", "De Pw"), ("email", "de-pw@example.com"), ("password", "kurz"), ("password_repeat", "kurz")));
        Assert.Equal("Verwenden Sie mindestens 8 Zeichen.", Text(tooShort, "#field-password-error"));

        var weak = await PageOf(await client.SubmitAsync(link, tooShort,
            ("username", "de-pw"), ("name", "De Pw"), ("email", "de-pw@example.com"), ("password", "password"), ("password_repeat", "password")));
        Assert.Equal("Dieses Passwort ist zu leicht zu erraten. Vermeiden Sie gängige Passwörter und deren Abwandlungen. "
            + "Fügen Sie ein oder zwei weitere Wörter hinzu: ungewöhnliche Wörter sind besser.", Text(weak, "#field-password-error"));

        // A policy of the admin's: its rules in German, numbers as German writes them.
        var policy = new PasswordPolicy
        {
            Name = "de-password-rules", LengthMin = 1000, AmountDigits = 2, AmountUppercase = 1, AmountSymbols = 1, SymbolCharset = "!#", CheckZxcvbn = false,
        };
        await app.DbAsync(async db =>
        {
            var stage = await db.Stages.OfType<PromptStage>().Include(s => s.ValidationPolicies).SingleAsync(s => s.Id == setup.Prompts.Id);
            db.Policies.Add(policy);
            stage.ValidationPolicies.Add(policy);
            await db.SaveChangesAsync();
        });
        var ruled = await client.GetPageAsync(link);
        Assert.Equal("Mindestens 1.000 Zeichen, 2 Ziffern, 1 Großbuchstabe und 1 Sonderzeichen.", Text(ruled, "#flow-card .password-rules"));
        var refused = await PageOf(await client.SubmitAsync(link, ruled,
            ("username", "de-pw"), ("name", "De Pw"), ("email", "de-pw@example.com"), ("password", "password"), ("password_repeat", "password")));
        Assert.Equal("Verwenden Sie mindestens 1.000 Zeichen. Verwenden Sie mindestens 2 Ziffern. Verwenden Sie mindestens 1 Großbuchstaben. "
            + "Verwenden Sie mindestens 1 Sonderzeichen (eines von !#).", Text(refused, "#field-password-error"));
    }

    [Fact]
    public async Task A_deny_stage_says_its_default_message_in_german_and_an_admins_own_message_as_typed()
    {
        var (byDefault, _) = await FlowAsync(app, "de-deny-default", [new Enrollment.Features.Stages.Deny.DenyStage { Name = "de-deny-default" }]);
        var (ownWords, _) = await FlowAsync(app, "de-deny-own", [new Enrollment.Features.Stages.Deny.DenyStage { Name = "de-deny-own", DenyMessage = "Members of staff only, sorry." }]);
        using var client = GermanBrowser();

        var page = await client.GetPageAsync(FlowUrl(byDefault));
        Assert.Equal("Die Anfrage wurde abgelehnt.", Text(page, "#flow-card .denied h1"));
        Assert.Equal("Der Vorgang wurde abgelehnt", Denial(page));

        page = await client.GetPageAsync(FlowUrl(ownWords));
        Assert.Equal("Die Anfrage wurde abgelehnt.", Text(page, "#flow-card .denied h1"));
        Assert.Equal("Members of staff only, sorry.", Denial(page));
    }

    [Fact]
    public async Task An_invitations_address_rules_and_an_unusable_invitation_are_explained_in_german()
    {
        var setup = await GuideFlowAsync(app, "de-rules");
        var invitation = await setup.InviteAsync(app, "de-rules");
        await app.DbAsync(async db =>
        {
            var i = await db.Invitations.FindAsync(invitation.Id);
            i!.EmailDomains = ["example.com", "example.org"];
            await db.SaveChangesAsync();
        });
        using var client = GermanBrowser();
        var link = setup.Link(invitation);
        var refused = await PageOf(await client.SubmitAsync(link, await client.GetPageAsync(link), Answers("de-rules", email: "jemand@example.net")));
        Assert.Equal("Diese Einladung akzeptiert nur E-Mail-Adressen der Domains example.com, example.org (oder ihrer Subdomains).", Text(refused, "#field-email-error"));
        Assert.Equal("Bitte prüfen Sie das markierte Feld.", Text(refused, "#flow-card .error-summary-title"));

        var expired = await setup.InviteAsync(app, "de-expired", expires: DateTime.UtcNow.AddMinutes(-1));
        Assert.Equal("Diese Einladung ist abgelaufen. Bitten Sie die Person, die Sie eingeladen hat, um eine neue.", Denial(await client.GetPageAsync(setup.Link(expired))));
        Assert.Equal("Diese Seite kann nur mit einer Einladung verwendet werden. Öffnen Sie den Link aus Ihrer Einladungs-E-Mail oder -Nachricht.",
            Denial(await client.GetPageAsync(FlowUrl(setup.Flow) + "?locale=de")));
    }

    [Fact]
    public async Task The_same_flow_reads_in_english_for_a_browser_that_asks_for_nothing()
    {
        var setup = await GuideFlowAsync(app, "de-or-en");
        var invitation = await setup.InviteAsync(app, "de-or-en");
        using var client = app.NewClient();
        var page = await client.GetPageAsync(setup.Link(invitation));
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Continue", Text(page, "#flow-card button[type=submit]"));
        var empty = await PageOf(await client.SubmitAsync(setup.Link(invitation), page));
        Assert.Equal("5 fields need your attention.", Text(empty, "#flow-card .error-summary-title"));
        Assert.Equal(Enumerable.Repeat("This field is required.", 5), Texts(empty, "#flow-card .field-error"));
    }
}
