using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Enrollment.Tests.Kit.FlowKit;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>
/// The email stage in a real Chromium: the invitee waits on "Check your email", opens the emailed link in another
/// browser, clicks once and ends signed in there — at a URL without the token, with htmx as without JavaScript.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed partial class EmailStageBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [GeneratedRegex(@"https?://[^\s""]+\?flow_token=[A-Za-z0-9_-]+")]
    internal static partial Regex LinkPattern();

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_link_opened_in_another_browser_continues_the_flow_there_signed_in(bool javaScript)
    {
        fixture.RequireBrowser();
        var slug = javaScript ? "email-browser-js" : "email-browser-nojs";
        await using var smtp = new LoopbackSmtpServer();
        await EmailConfirmationFlowAsync(fixture.App, slug, smtp.Port);
        var username = $"{slug}-user";

        await using var laptop = await fixture.OpenAsync(javaScript);
        var page = laptop.Page;
        await page.GotoAsync($"/if/flow/{slug}/");
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync(username);
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync($"{username}@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(Password);
        await page.GetByLabel("Password (repeat)", new() { Exact = true }).FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();
        await Expect(page.Locator("#flow-card .email-address")).ToHaveTextAsync($"{username}@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "I have opened the link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Your email address is not confirmed yet. Open the link in the email we sent you.");
        await laptop.ScreenshotAsync($"email-stage-waiting-{(javaScript ? "js" : "nojs")}");

        var message = Assert.Single(await smtp.WaitForAsync(1));
        var link = LinkPattern().Match(message.TextBody).Value;
        Assert.StartsWith(fixture.App.Address + $"/if/flow/{slug}/?flow_token=", link);

        await using var phone = await fixture.OpenAsync(javaScript);
        await phone.Page.GotoAsync(link);
        await Expect(phone.Page.Locator("#flow-card .email-address")).ToHaveTextAsync($"{username}@example.com");
        await phone.Page.GetByRole(AriaRole.Button, new() { Name = "Confirm and continue" }).ClickAsync();

        await Expect(phone.Page).ToHaveURLAsync(fixture.App.Address + "/if/user/");
        await Expect(phone.Page.Locator("main")).ToContainTextAsync(username);
        Assert.True(await fixture.App.DbAsync(db => db.Users.Where(u => u.UserName == username).Select(u => u.IsActive).SingleAsync()));
        laptop.AssertNoScriptErrors();
        phone.AssertNoScriptErrors();
    }
}
