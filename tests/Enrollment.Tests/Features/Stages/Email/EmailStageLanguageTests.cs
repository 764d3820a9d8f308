using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using MimeKit;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Email;

/// <summary>
/// The confirmation email speaks the language the invitee uses in the flow — subject (when the admin kept authentik's
/// default one), both parts, the link's page — whichever browser opens the link.
/// </summary>
public sealed partial class EmailStageLanguageTests(Hosts.WithSmtp app) : IClassFixture<Hosts.WithSmtp>
{
    [GeneratedRegex(@"http://localhost(/if/flow/[a-z0-9-]+/\?flow_token=[A-Za-z0-9_-]+&locale=[a-z]+)")]
    private static partial Regex LinkPattern();

    private TestClient Browser(string acceptLanguage)
    {
        var client = app.NewClient();
        client.Http.DefaultRequestHeaders.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        return client;
    }

    private static string Text(IHtmlDocument page, string selector) => page.QuerySelector(selector)?.TextContent.Trim() ?? "";

    private static MimeMessage MessageTo(LoopbackSmtpServer smtp, string address) =>
        Assert.Single(smtp.Messages.Where(m => m.To.Mailboxes.Any(x => x.Address == address)));

    [Fact]
    public async Task A_spanish_invitee_gets_the_confirmation_in_spanish_and_its_link_opens_in_spanish_in_any_browser()
    {
        const string slug = "email-es";
        var email = new EmailStage { Name = $"{slug}-email", UseGlobalSettings = true, Host = "smtp.invalid", TokenExpiry = 30 }; // authentik's default subject
        var (flow, _) = await FlowAsync(app, slug,
            [new InvitationStage { Name = $"{slug}-invitation" }, AccountPrompts(slug), new UserWriteStage { Name = $"{slug}-write", UserType = UserType.Internal }, email,
             new UserLoginStage { Name = $"{slug}-login" }]);
        var invitation = await InvitationAsync(app, slug, flow.Id);
        var link = $"/if/flow/{slug}/?itoken={invitation.Id}";
        using var invitee = Browser("es-MX,es;q=0.9");

        (await invitee.SubmitAsync(link, await invitee.GetPageAsync(link), Answers("lucia"))).AssertRedirect(FlowUrl(flow));
        var waiting = await invitee.GetPageAsync(FlowUrl(flow));
        Assert.Equal("es", waiting.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Revise su correo electrónico", Text(waiting, "#flow-card .email-stage h2"));
        Assert.Contains("El enlace es válido durante 30 minutos.", Text(waiting, "#flow-card .email-stage p"));
        Assert.Equal("lucia@example.com", Text(waiting, "#flow-card .email-address"));
        Assert.Equal(["He abierto el enlace", "Volver a enviar el correo"], waiting.QuerySelectorAll("#flow-card button").Select(b => b.TextContent.Trim()));

        var message = MessageTo(app.Smtp, "lucia@example.com");
        Assert.Equal("Confirme su dirección de correo electrónico para localhost", message.Subject);
        Assert.Contains("<html lang=\"es\">", message.HtmlBody);
        Assert.Contains("Hola, Name of lucia: confirme su dirección de correo electrónico para continuar en localhost.", message.TextBody);
        Assert.Contains("El enlace es válido hasta el ", message.TextBody);
        Assert.Contains("Confirmar mi dirección</a>", message.HtmlBody);
        var match = LinkPattern().Match(message.TextBody);
        Assert.True(match.Success, "No link in: " + message.TextBody);
        Assert.EndsWith("&locale=es", match.Value);

        // Opened on another device whose browser asks for English: the page speaks the email's language.
        using var phone = Browser("en-US");
        var confirm = await phone.GetPageAsync(match.Groups[1].Value);
        Assert.Equal("es", confirm.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Confirme su dirección de correo electrónico", Text(confirm, "#flow-card .email-link h2"));
        Assert.Equal("Confirmar y continuar", Text(confirm, "#flow-card button"));
        // Used twice: the refusal is in Spanish too.
        var fields = new List<KeyValuePair<string, string>>
        {
            new("flow_token", confirm.QuerySelector("#flow-card input[name=flow_token]")!.GetAttribute("value")!),
            new("stage", StageId(confirm)),
            new("__RequestVerificationToken", TestClient.AntiforgeryToken(confirm)),
        };
        (await phone.Http.PostAsync(FlowUrl(flow), new FormUrlEncodedContent(fields))).AssertRedirect(FlowUrl(flow));
        var again = await PageOf(await phone.Http.GetAsync(match.Groups[1].Value), System.Net.HttpStatusCode.Gone);
        Assert.Equal("es", again.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Este enlace de confirmación ya se ha utilizado.", Denial(again));
    }
}
