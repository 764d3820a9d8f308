using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Web;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.EmailKit;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Infrastructure.Email;

/// <summary>
/// Invitation emails go out in the brand's default language — subject, both parts, the expiry date written as that
/// language writes dates — unless the invitation asks for another (<c>fixed_data.locale</c>), which its link then
/// carries to the pages. Sent by the app's own job server to a real SMTP server on loopback.
/// </summary>
public sealed class InvitationEmailLanguageTests(Hosts.WithSmtpAndJobs app) : IClassFixture<Hosts.WithSmtpAndJobs>
{
    private static readonly DateTime Expiry = new(2099, 1, 31, 17, 30, 0, DateTimeKind.Utc);

    private async Task BrandSpeaksAsync(string locale)
    {
        await app.DbAsync(db => db.Brands.Where(b => b.Default).ExecuteUpdateAsync(s => s.SetProperty(b => b.DefaultLocale, locale)));
        using var scope = app.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<BrandTitle>().Forget();
    }

    [Fact]
    public async Task The_invitation_email_is_in_the_brands_default_language_subject_and_dates_included()
    {
        await BrandSpeaksAsync("fr");
        var invitation = await SendableInvitationAsync(app, "mail-fr", expires: Expiry);
        using var admin = await app.AdminClientAsync();
        (await admin.SendFromPageAsync(invitation.Id, "camille@example.com")).AssertRedirect(InvitationPages.DetailsUrl(invitation.Id));

        var message = await app.Smtp.WaitForMessageToAsync("camille@example.com");
        Assert.Equal("Invitation à rejoindre localhost", message.Subject);
        Assert.Contains("<html lang=\"fr\">", message.HtmlBody);
        Assert.Contains("<title>Invitation à rejoindre localhost</title>", message.HtmlBody);
        Assert.Contains("Nous vous invitons à créer un compte sur localhost.", message.HtmlBody);
        Assert.Contains("Accepter l’invitation</a>", message.HtmlBody);
        Assert.Contains("L’invitation expire le samedi 31 janvier 2099 à 17:30 UTC.", message.HtmlBody);
        Assert.Contains("Nous vous invitons à créer un compte sur localhost.", message.TextBody);
        Assert.Contains("L’invitation expire le samedi 31 janvier 2099 à 17:30 UTC.", message.TextBody);
        Assert.Contains($"Accepter l’invitation\u00a0: http://localhost/if/flow/mail-fr/?itoken={invitation.Id}\n", message.TextBody.ReplaceLineEndings("\n"));
        Assert.DoesNotContain("invited", message.HtmlBody);
        // The brand's language is the default: the link leaves the choice to the invitee's browser.
        Assert.DoesNotContain("locale=", message.HtmlBody);
    }

    [Fact]
    public async Task An_invitation_that_asks_for_a_language_is_sent_in_it_and_its_link_opens_the_pages_in_it()
    {
        await BrandSpeaksAsync("fr");
        var setup = await GuideFlowAsync(app, "mail-de");
        var invitation = await setup.InviteAsync(app, "mail-de", singleUse: false, fixedData: new JsonObject { ["locale"] = "de-CH" }, expires: Expiry);
        using var admin = await app.AdminClientAsync();
        (await admin.SendFromPageAsync(invitation.Id, "jonas@example.com")).AssertRedirect(InvitationPages.DetailsUrl(invitation.Id));

        var message = await app.Smtp.WaitForMessageToAsync("jonas@example.com");
        Assert.Equal("Sie wurden zu localhost eingeladen", message.Subject);
        Assert.Contains("<html lang=\"de\">", message.HtmlBody);
        Assert.Contains("Die Einladung läuft am Samstag, 31. Januar 2099 um 17:30 UTC ab.", message.TextBody);
        var link = $"http://localhost/if/flow/mail-de/?itoken={invitation.Id}&locale=de";
        Assert.Contains($"href=\"{link.Replace("&", "&amp;")}\"", message.HtmlBody);
        Assert.Contains(link, message.TextBody);

        // The invitee's browser asks for English; the link's language wins, on its redirects too.
        using var invitee = app.NewClient();
        invitee.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", "en");
        var page = await invitee.GetPageAsync(new Uri(link).PathAndQuery);
        Assert.Equal("de", page.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Weiter", page.QuerySelector("#flow-card button[type=submit]")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_language_under_attributes_settings_locale_counts_too_and_an_unknown_one_leaves_the_brands()
    {
        await BrandSpeaksAsync("nl");
        var setup = await GuideFlowAsync(app, "mail-settings");
        var spanish = await setup.InviteAsync(app, "mail-es", singleUse: false,
            fixedData: new JsonObject { ["attributes"] = new JsonObject { ["settings"] = new JsonObject { ["locale"] = "es" } } });
        var klingon = await setup.InviteAsync(app, "mail-tlh", singleUse: false, fixedData: new JsonObject { ["locale"] = "tlh" });
        using var admin = await app.AdminClientAsync();
        (await admin.SendFromPageAsync(spanish.Id, "lucia@example.com")).AssertRedirect(InvitationPages.DetailsUrl(spanish.Id));
        (await admin.SendFromPageAsync(klingon.Id, "worf@example.com")).AssertRedirect(InvitationPages.DetailsUrl(klingon.Id));

        var es = await app.Smtp.WaitForMessageToAsync("lucia@example.com");
        Assert.Equal("Le han invitado a localhost", es.Subject);
        Assert.Contains("La invitación no caduca.", es.TextBody);
        var nl = await app.Smtp.WaitForMessageToAsync("worf@example.com");
        Assert.Equal("U bent uitgenodigd voor localhost", nl.Subject);
        Assert.Contains("De uitnodiging verloopt niet.", nl.TextBody);
        Assert.DoesNotContain("locale=", nl.TextBody);
    }
}
