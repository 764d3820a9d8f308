using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>
/// The pictures of invitees' pages in docs/screenshots: the prompt stage, the same with mistakes, and a denial, on a
/// desktop and a phone, in English and German. Every run takes them (into the test output); with
/// <c>ENROLLMENT_SCREENSHOTS=&lt;folder&gt;</c> they are written there too, which is how the docs' copies are made.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FlowScreenshotsBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableTheory]
    [InlineData("en", "desktop", 1280, 900)]
    [InlineData("en", "phone", 390, 844)]
    [InlineData("de", "desktop", 1280, 900)]
    [InlineData("de", "phone", 390, 844)]
    public async Task Invitee_pages_in_a_language_and_a_window(string language, string device, int width, int height)
    {
        await using var session = await fixture.OpenAsync(javaScript: true, width, height);
        var page = session.Page;
        var slug = $"shots-{language}-{device}";
        var setup = await FlowKit.GuideFlowAsync(fixture.App, slug, UserType.Internal, configurePrompt: null);
        await fixture.App.DbAsync(async db =>
        {
            var flow = await db.Flows.FindAsync(setup.Flow.Id);
            flow!.Title = language == "de" ? "Willkommen bei Acme" : "Welcome to Acme";
            await db.SaveChangesAsync();
        });
        var invitation = await setup.InviteAsync(fixture.App, $"{slug}-invite", fixedData: new JsonObject { ["email"] = "jane.doe@example.com" });
        var expired = await setup.InviteAsync(fixture.App, $"{slug}-expired", expires: DateTime.UtcNow.AddDays(-1));
        var folder = Environment.GetEnvironmentVariable("ENROLLMENT_SCREENSHOTS");

        async Task ShootAsync(string what)
        {
            Assert.Equal(language, await page.EvaluateAsync<string>("() => document.documentElement.lang"));
            var path = await session.ScreenshotAsync($"flow-{what}-{language}-{device}");
            Assert.True(new FileInfo(path).Length > 5_000, $"{path} is nearly empty");
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
                File.Copy(path, Path.Combine(folder, Path.GetFileName(path)), overwrite: true);
            }
        }

        await page.GotoAsync($"{fixture.App.Address}{setup.Link(invitation)}&locale={language}");
        await Expect(page.Locator("#flow-card form")).ToBeVisibleAsync();
        await ShootAsync("prompt");

        await page.Locator("#flow-card input[name=username]").FillAsync("jane");
        await page.Locator("#flow-card input[name=password]").FillAsync("password");
        await page.Locator("#flow-card button[type=submit]").ClickAsync();
        await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await ShootAsync("errors");

        await page.GotoAsync($"{fixture.App.Address}{setup.Link(expired)}&locale={language}");
        await Expect(page.Locator(".denied")).ToBeVisibleAsync();
        await ShootAsync("denied");
        // A screenshot leaves style="" on the inputs (Playwright hides the caret); the swap must not copy it (CSP).
        session.AssertNoScriptErrors();
    }
}
