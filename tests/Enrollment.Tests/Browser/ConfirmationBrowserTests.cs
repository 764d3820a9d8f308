using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Enrollment.Tests.Kit.Browser.BrowserKit;
using static Enrollment.Tests.Kit.InvitationPages;
using static Enrollment.Tests.Kit.FlowKit;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>
/// Destructive actions ask first: with JavaScript in a modal dialog holding the confirm page's question, without it on
/// the confirm page itself. Cancel does nothing; confirming does it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ConfirmationBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Revoking_an_invitation_from_the_list_asks_first(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var setup = await FlowKit.GuideFlowAsync(fixture.App, $"confirm-{Mode(javaScript)}");
        var invitation = await setup.InviteAsync(fixture.App, $"confirm-me-{Mode(javaScript)}");
        await session.SignInAsAdminAsync();
        await page.GotoAsync($"{fixture.App.Address}/if/admin/invitations/?q={invitation.Name}");

        var revoke = page.GetByRole(AriaRole.Link, new() { Name = $"Revoke invitation {invitation.Name}" });
        await page.Locator("#invitation-rows details summary").First.ClickAsync();
        await revoke.ClickAsync();
        if (javaScript)
        {
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToBeVisibleAsync();
            await Expect(dialog.GetByRole(AriaRole.Heading)).ToContainTextAsync($"Revoke invitation “{invitation.Name}”?");
            Assert.EndsWith("/if/admin/invitations/?q=" + invitation.Name, page.Url); // still on the list
            // Cancel has the focus (the safe choice) and closes the dialog with nothing done.
            Assert.Equal("Cancel", await page.EvaluateAsync<string>("() => document.activeElement.textContent.trim()"));
            await dialog.GetByRole(AriaRole.Link, new() { Name = "Cancel" }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            Assert.True(await InvitationExistsAsync(fixture.App, invitation.Id));
            // Escape closes it too.
            await revoke.ClickAsync();
            await Expect(dialog).ToBeVisibleAsync();
            await page.Keyboard.PressAsync("Escape");
            await Expect(dialog).ToBeHiddenAsync();
            Assert.True(await InvitationExistsAsync(fixture.App, invitation.Id));
            await revoke.ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        }
        else
        {
            await Expect(page).ToHaveURLAsync(fixture.App.Address + DeleteUrl(invitation.Id));
            Assert.True(await InvitationExistsAsync(fixture.App, invitation.Id)); // the page only asks
            await page.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        }
        await Expect(page).ToHaveURLAsync(fixture.App.Address + "/if/admin/invitations/");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("revoked");
        Assert.False(await InvitationExistsAsync(fixture.App, invitation.Id));
    }

    [SkippableFact]
    public async Task Deleting_a_group_from_the_list_asks_in_a_dialog_with_the_pages_warnings()
    {
        await using var session = await fixture.OpenAsync(javaScript: true);
        var page = session.Page;
        var group = await FlowKit.GroupAsync(fixture.App, "confirm-doomed-group");
        await session.SignInAsAdminAsync();
        await page.GotoAsync($"{fixture.App.Address}/if/admin/groups/?q=confirm-doomed-group");
        await page.Locator($"a[href='/if/admin/groups/{group.Id}/delete/']").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog.GetByRole(AriaRole.Heading)).ToContainTextAsync("Delete group “confirm-doomed-group”?");
        await Expect(dialog).ToContainTextAsync("member(s) stay but lose the membership");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(fixture.App.Address + "/if/admin/groups/");
        Assert.False(await fixture.App.DbAsync(db => db.Groups.AnyAsync(g => g.Id == group.Id)));
    }
}
