using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>
/// "Send by email" and the deliveries table in Chromium, with htmx and without. The app runs no job server here, so
/// the emails stay queued until the test marks them sent — which shows the table polling for news.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class SendInvitationBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static readonly LocatorAssertionsToContainTextOptions Patient = new() { Timeout = 20_000 };

    private static ILocator Row(IPage page, string email) => page.Locator("#deliveries tbody tr", new() { HasText = email });

    private Task MarkSentAsync(Guid invitationId) =>
        fixture.App.DbAsync(db => db.InvitationDeliveries.Where(d => d.InvitationId == invitationId)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.State, DeliveryState.Sent).SetProperty(d => d.Attempts, 1).SetProperty(d => d.Sent, DateTime.UtcNow)));

    [SkippableFact]
    public async Task With_htmx_the_form_swaps_in_place_the_table_follows_and_polls_until_the_email_is_sent()
    {
        await using var session = await fixture.OpenAsync(javaScript: true);
        var page = session.Page;
        var invitation = await EmailKit.SendableInvitationAsync(fixture.App, "browser-send-js");
        await session.SignInAsAdminAsync();
        var details = $"{fixture.App.Address}/if/admin/invitations/{invitation.Id}/";
        await page.GotoAsync(details);

        var addresses = page.GetByLabel("Email addresses");
        await addresses.FillAsync("nope");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.Locator("#send-addresses-errors")).ToHaveTextAsync("\"nope\" is not a valid email address.");
        await Expect(page).ToHaveURLAsync(details); // swapped in place
        await Expect(addresses).ToHaveValueAsync("nope");

        await addresses.FillAsync("browser.js@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page.Locator("#send-invitation .flash")).ToHaveTextAsync("The invitation email is queued; its state shows below.");
        await Expect(page.GetByLabel("Email addresses")).ToHaveValueAsync("");
        // The send raised deliveries-changed: the table reloaded without a page load.
        await Expect(Row(page, "browser.js@example.com").Locator(".badge")).ToHaveTextAsync("Queued");
        await Expect(page).ToHaveURLAsync(details);

        // The job "sends" it; the table, polling while anything is queued, shows it.
        await MarkSentAsync(invitation.Id);
        await Expect(Row(page, "browser.js@example.com").Locator(".badge")).ToContainTextAsync("Sent", Patient);
        await Expect(page.Locator("#deliveries")).ToHaveAttributeAsync("data-pending", "false");

        // Resend: no page load, the table shows it queued again.
        await Row(page, "browser.js@example.com").GetByRole(AriaRole.Button, new() { Name = "Resend to browser.js@example.com" }).ClickAsync();
        await Expect(Row(page, "browser.js@example.com").Locator(".badge")).ToContainTextAsync("Queued", Patient);
        Assert.Equal(DeliveryState.Queued, await fixture.App.DbAsync(db => db.InvitationDeliveries.Where(d => d.InvitationId == invitation.Id).Select(d => d.State).SingleAsync()));
        await session.ScreenshotAsync("send-invitation-js");
        session.AssertNoScriptErrors();
    }

    [SkippableFact]
    public async Task Without_javascript_errors_come_back_on_the_send_page_and_a_send_redirects_to_the_invitation()
    {
        await using var session = await fixture.OpenAsync(javaScript: false);
        var page = session.Page;
        var invitation = await EmailKit.SendableInvitationAsync(fixture.App, "browser-send-nojs");
        await session.SignInAsAdminAsync();
        await page.GotoAsync($"/if/admin/invitations/{invitation.Id}/");

        await page.GetByLabel("Email addresses").FillAsync("ok.nojs@example.com\nEve <eve@example.com>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{fixture.App.Address}/if/admin/invitations/{invitation.Id}/send/");
        await Expect(page.Locator("#send-addresses-errors li")).ToHaveTextAsync(
            "\"Eve <eve@example.com>\" is not a valid email address: enter the bare address, like jane@example.com, without a name, quotes or angle brackets.");
        await Expect(page.GetByLabel("Email addresses")).ToHaveValueAsync("ok.nojs@example.com\nEve <eve@example.com>");

        await page.GetByLabel("Email addresses").FillAsync("ok.nojs@example.com\neve@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync($"{fixture.App.Address}/if/admin/invitations/{invitation.Id}/#deliveries");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "queued" })).ToHaveTextAsync("2 invitation emails are queued, one per address; their states show below.");
        await Expect(Row(page, "ok.nojs@example.com").Locator(".badge")).ToHaveTextAsync("Queued");

        await MarkSentAsync(invitation.Id);
        await page.GetByRole(AriaRole.Link, new() { Name = "Refresh" }).ClickAsync();
        await Expect(Row(page, "eve@example.com").Locator(".badge")).ToHaveTextAsync("Sent");
        await session.ScreenshotAsync("send-invitation-nojs");
    }
}
