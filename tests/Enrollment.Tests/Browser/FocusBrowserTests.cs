using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.Playwright;
using static Enrollment.Tests.Kit.Browser.BrowserKit;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>
/// Where focus goes in a real browser, with JavaScript (htmx swaps the card) and without (a new page): to the first field
/// of each stage on arrival, to the first bad field after a submit, with the summary announced.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FocusBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static PromptStage Stage(string slug, string key, params string[] labels) => new()
    {
        Name = $"{slug}-{key}",
        Fields = labels.Select((l, i) => new Prompt { Name = $"{slug}-{key}-{i}", FieldKey = $"{key}{i}", Label = l, Type = PromptType.Text, Required = true, Order = i }).ToList(),
    };

    private static Task<string?> FocusedLabelAsync(IPage page) =>
        page.EvaluateAsync<string?>("() => { const e = document.activeElement; return e && e.labels && e.labels.length ? e.labels[0].textContent.trim() : (e ? e.tagName : null); }");

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Focus_follows_the_invitee_through_the_stages_and_to_the_first_mistake(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var slug = $"focus-{Mode(javaScript)}";
        var (flow, _) = await FlowKit.FlowAsync(fixture.App, slug,
            [Stage(slug, "a", "Given name", "Family name", "City"), Stage(slug, "b", "Favourite colour"), new DenyStage { Name = $"{slug}-end", DenyMessage = "Done." }]);
        await page.GotoAsync($"{fixture.App.Address}/if/flow/{slug}/");
        if (javaScript) await page.WaitForFunctionAsync("() => window.htmx !== undefined");
        Assert.Equal("Given name", await FocusedLabelAsync(page));

        await Field(page, "Given name").FillAsync("Jane");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        var summary = page.Locator(".error-summary[role=alert]");
        await Expect(summary).ToContainTextAsync("2 fields need your attention.");
        await Expect(Field(page, "Family name")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.name === 'a1'");
        Assert.Equal("Family name", await FocusedLabelAsync(page));

        // The summary's links lead to their fields.
        await summary.GetByRole(AriaRole.Link, new() { Name = "City" }).ClickAsync();
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.name === 'a2'");

        await Field(page, "Family name").FillAsync("Doe");
        await Field(page, "City").FillAsync("Ghent");
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.Locator(".flow-step")).ToHaveTextAsync("Step 2 of 2");
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.name === 'b0'");
        Assert.Equal("Favourite colour", await FocusedLabelAsync(page));
    }
}
