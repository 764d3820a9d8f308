using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Prompt;

/// <summary>
/// authentik's <c>ak-locale</c> prompt offers the languages the pages come in, each in its own name; stored as
/// <c>attributes.settings.locale</c>, the invitee's choice is the language of their pages once they are signed in.
/// </summary>
public sealed class LocalePromptTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task The_locale_prompt_offers_our_languages_and_the_choice_becomes_the_users_language()
    {
        const string slug = "locale-prompt";
        var prompts = PromptStageOf($"{slug}-prompts",
            Field(slug, "username", PromptType.Username, 0), Field(slug, "password", PromptType.Password, 1), Field(slug, "password_repeat", PromptType.Password, 2),
            Field(slug, "attributes.settings.locale", PromptType.AkLocale, 3, label: "Language"));
        var (flow, _) = await FlowAsync(app, slug,
            [new InvitationStage { Name = $"{slug}-invitation" }, prompts, new UserWriteStage { Name = $"{slug}-write", UserType = UserType.Internal }, new UserLoginStage { Name = $"{slug}-login" }]);
        var invitation = await InvitationAsync(app, slug, flow.Id);
        var link = $"{FlowUrl(flow)}?itoken={invitation.Id}";
        using var client = app.NewClient();

        var page = await client.GetPageAsync(link);
        var options = page.QuerySelectorAll("#flow-card select[name='attributes.settings.locale'] option").ToList();
        Assert.Equal(["", "en", "de", "fr", "es", "nl"], options.Select(o => o.GetAttribute("value")));
        Assert.Equal(["---------", "English", "Deutsch", "Français", "Español", "Nederlands"], options.Select(o => o.TextContent.Trim()));
        Assert.Equal("fr", options[3].GetAttribute("lang"));

        (string, string)[] Answers(string locale) => [("username", "locale-user"), ("password", Password), ("password_repeat", Password), ("attributes.settings.locale", locale)];
        var refused = await PageOf(await client.SubmitAsync(link, page, Answers("it")));
        Assert.Equal("Select one of the offered choices.", refused.QuerySelector("#field-attributes-settings-locale-error")?.TextContent.Trim());

        (await client.SubmitAsync(link, refused, Answers("fr"))).AssertRedirect("/if/user/");
        var user = await UserAsync(app, "locale-user");
        Assert.Equal("fr", (string?)((user!.Attributes["settings"] as JsonObject)?["locale"]));
        // Signed in by the flow: the user page speaks the language the invitee chose, though the browser asked for none.
        var home = await client.GetPageAsync("/if/user/");
        Assert.Equal("fr", home.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Bienvenue, locale-user", home.QuerySelector("h1")!.TextContent.Trim());
    }
}
