using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.Playwright;
using static Enrollment.Tests.Kit.Browser.BrowserKit;
using static Enrollment.Tests.Kit.FlowKit;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>
/// The password rules under the password field in Chromium: shown once before anything is typed, with and without
/// JavaScript; with JavaScript a strength meter follows what is typed (also after an htmx swap), without it there is none.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PasswordStrengthBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Rules = "At least 8 characters; avoid common words and patterns.";

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_rules_are_shown_once_and_a_strength_meter_follows_the_typing_with_JavaScript(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var slug = $"browser-strength-{Mode(javaScript)}";
        await FlowAsync(fixture.App, slug, [PromptStageOf(slug, Field(slug, "password", PromptType.Password, 1, label: "Password"),
            Field(slug, "password_repeat", PromptType.Password, 2, label: "Password (repeat)"))]);

        await page.GotoAsync($"/if/flow/{slug}/");
        var rules = page.Locator("#flow-card .password-rules");
        await Expect(rules).ToHaveCountAsync(1);
        await Expect(rules).ToHaveTextAsync(Rules);
        await Expect(page.Locator(".field", new() { Has = Field(page, "Password") }).Locator(".password-rules")).ToBeVisibleAsync();
        await Expect(Field(page, "Password")).ToHaveAttributeAsync("aria-describedby", (await rules.GetAttributeAsync("id"))!);

        var meter = page.Locator("#flow-card .strength");
        if (javaScript) await page.WaitForFunctionAsync("() => window.htmx !== undefined");
        await Field(page, "Password").FillAsync("password");
        if (!javaScript)
        {
            await Expect(meter).ToHaveCountAsync(0);
        }
        else
        {
            await Expect(meter).ToHaveTextAsync("Estimated strength: Very weak");
            await Field(page, "Password").FillAsync("correct horse battery staple");
            await Expect(meter).ToHaveTextAsync("Estimated strength: Strong");
            await Field(page, "Password (repeat)").FillAsync("password");
            await Expect(meter).ToHaveCountAsync(1); // the repeat field has no rules and no meter
            await Field(page, "Password").FillAsync("password");
        }

        // A weak password: the server's message under the password field only, the rules still once.
        await Field(page, "Password (repeat)").FillAsync("password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(FieldError(page, "Password")).ToContainTextAsync("This password is too easy to guess.");
        await Expect(page.Locator("#flow-card .field-error")).ToHaveCountAsync(1);
        await Expect(rules).ToHaveCountAsync(1);
        if (javaScript)
        {
            // After the swap the meter comes back with the typing.
            await Field(page, "Password").FillAsync("Tulip-Glacier-58");
            await Expect(meter).ToHaveCountAsync(1);
            await Expect(meter).ToContainTextAsync("Estimated strength:");
        }
        await session.ScreenshotAsync($"password-rules-{Mode(javaScript)}");
        session.AssertNoScriptErrors();
    }

    [SkippableFact]
    public async Task The_meter_reads_in_the_page_s_language()
    {
        await using var session = await fixture.OpenAsync(javaScript: true);
        var page = session.Page;
        const string slug = "browser-strength-de";
        await FlowAsync(fixture.App, slug, [PromptStageOf(slug, Field(slug, "password", PromptType.Password, 1, label: "Password"))]);
        await page.GotoAsync($"/if/flow/{slug}/?locale=de");
        await Expect(page.Locator("#flow-card .password-rules")).ToHaveTextAsync("Mindestens 8 Zeichen; vermeiden Sie gängige Wörter und Muster.");
        await page.WaitForFunctionAsync("() => window.htmx !== undefined");
        var meter = page.Locator("#flow-card .strength");
        await Field(page, "Password").FillAsync("password");
        await Expect(meter).ToHaveTextAsync("Geschätzte Stärke: sehr schwach");
        await Field(page, "Password").FillAsync("correct horse battery staple");
        await Expect(meter).ToHaveTextAsync("Geschätzte Stärke: stark");
        session.AssertNoScriptErrors();
    }
}
