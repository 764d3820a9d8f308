using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Enrollment.Tests.Kit.Browser.BrowserKit;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>Admin › Policies in a real Chromium: create with a syntax error first, then test, with JavaScript (htmx) and without.</summary>
[Collection(BrowserCollection.Name)]
public sealed class PoliciesBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Admin_fixes_a_syntax_error_then_tests_the_policy_and_sees_its_message(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        PythonAvailable.Require(fixture.App.Services.GetRequiredService<PythonExpressions>());
        var page = session.Page;
        var name = $"Example addresses {Mode(javaScript)}";

        await session.SignInAsAdminAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Admin" }).GetByRole(AriaRole.Link, new() { Name = "Policies" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Policies", Level = 1 })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Create expression policy" }).ClickAsync();

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        var expression = page.GetByLabel("Expression", new() { Exact = true });
        await expression.FillAsync("prompt_data = context.get('prompt_data', {})\nif not prompt_data.get('email', '').endswith('@example.com')\n    ak_message('Only example.com addresses may enroll.')\n    return False\nreturn True");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(page.Locator("[data-valmsg-for='Input.Expression']")).ToContainTextAsync("Line 2: ");
        await Expect(expression).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("endswith\\('@example\\.com'\\)\n"));
        Assert.False(await fixture.App.DbAsync(db => db.Policies.AnyAsync(p => p.Name == name)));

        var text = await expression.InputValueAsync();
        await expression.FillAsync(text.Replace("endswith('@example.com')\n", "endswith('@example.com'):\n"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Expression policy “{name}”", Level = 1 })).ToBeVisibleAsync();
        var id = await fixture.App.DbAsync(db => db.Policies.Where(p => p.Name == name).Select(p => p.Id).SingleAsync());
        var url = $"{fixture.App.Address}/if/admin/policies/{id}/";
        await Expect(page).ToHaveURLAsync(url);

        // A marker in the window survives an htmx swap but not a page load.
        if (javaScript) await page.EvaluateAsync("() => window.policyTestMarker = 1");
        await page.GetByLabel("Context").FillAsync("prompt_data:\n  email: jane@evil.test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run test" }).ClickAsync();
        await Expect(page.Locator("#test-passing")).ToHaveTextAsync("false");
        await Expect(page.Locator("#test-messages li")).ToHaveTextAsync("Only example.com addresses may enroll.");
        await Expect(page.GetByLabel("Context")).ToHaveValueAsync("prompt_data:\n  email: jane@evil.test");

        await page.GetByLabel("Context").FillAsync("{\"prompt_data\": {\"email\": \"jane@example.com\"}}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run test" }).ClickAsync();
        await Expect(page.Locator("#test-passing")).ToHaveTextAsync("true");
        await session.ScreenshotAsync($"policy-test-{Mode(javaScript)}");

        if (javaScript)
        {
            Assert.Equal(1, await page.EvaluateAsync<int>("() => window.policyTestMarker"));
            await Expect(page).ToHaveURLAsync(url);
            await Expect(page.Locator("nav.sidenav")).ToHaveCountAsync(1);
            session.AssertNoScriptErrors();
        }
        else
        {
            await Expect(page).ToHaveURLAsync(url + "?handler=Test");
        }
    }
}
