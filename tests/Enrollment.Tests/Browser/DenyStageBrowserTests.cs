using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Browser;

/// <summary>
/// The deny stage in a real Chromium: an admin creates one and binds it after the prompts; an invitee who submits the
/// prompts reads the deny message in the flow card, with htmx swapping only the card and without JavaScript alike.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DenyStageBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Admin_binds_a_deny_stage_and_the_invitee_reads_its_message(bool javaScript)
    {
        var mode = BrowserKit.Mode(javaScript);
        var slug = $"browser-deny-{mode}";
        var (flow, _) = await FlowAsync(fixture.App, slug,
            [PromptStageOf($"{slug}-account", Field(slug, "username", PromptType.Username, 0, label: "Username")), new UserWriteStage { Name = $"{slug}-write" }]);

        await using (var admin = await fixture.OpenAsync(javaScript))
        {
            var page = admin.Page;
            await admin.SignInAsAdminAsync();
            await page.GotoAsync("/if/admin/stages/new/deny/");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create deny stage", Level = 1 })).ToBeVisibleAsync();
            await page.GetByLabel("Name", new() { Exact = true }).FillAsync($"{slug}-deny");
            await page.GetByLabel("Deny message").FillAsync("Enrollment is paused.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Deny stage “{slug}-deny” created. Bind it to a flow from the flow's page.");

            await page.GotoAsync($"/if/admin/flows/{slug}/bindings/");
            await page.GetByLabel("Existing stage").SelectOptionAsync(new SelectOptionValue { Label = $"{slug}-deny (Deny)" });
            await page.GetByLabel("Order").FillAsync("15");
            await page.GetByRole(AriaRole.Button, new() { Name = "Bind stage" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Stage bound.");
            admin.AssertNoScriptErrors();
        }

        await using var invitee = await fixture.OpenAsync(javaScript);
        var flowPage = invitee.Page;
        var loads = 0;
        flowPage.Load += (_, _) => loads++;
        await flowPage.GotoAsync(FlowUrl(flow));
        await BrowserKit.Field(flowPage, "Username").FillAsync($"deny-{mode}");
        await flowPage.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        var card = flowPage.Locator("#flow-card");
        await Expect(card.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enrollment is paused.");
        await Expect(card.Locator("form")).ToHaveCountAsync(0);
        // With htmx the card is swapped in place; without JavaScript the POST answered with the page.
        Assert.Equal(javaScript ? 1 : 2, loads);
        Assert.False(await fixture.App.DbAsync(db => db.Users.AnyAsync(u => u.UserName == $"deny-{mode}")));
        invitee.AssertNoScriptErrors();
    }
}
