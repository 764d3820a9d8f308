using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Kit.Browser;

/// <summary>One test's browser context and page, with the steps a person takes in several tests.</summary>
public sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<string> _scriptErrors = [];

    public BrowserSession(EnrollmentApp app, IBrowserContext context, IPage page, bool javaScript)
    {
        App = app;
        Context = context;
        Page = page;
        JavaScript = javaScript;
        page.PageError += (_, error) => _scriptErrors.Add("Uncaught: " + error);
        page.Console += (_, message) => { if (message.Type == "error") _scriptErrors.Add($"Console: {message.Text} at {message.Location}"); };
        page.Response += (_, response) => { if (response.Status >= 400) _scriptErrors.Add($"HTTP {response.Status}: {response.Request.Method} {response.Url}"); };
    }

    public EnrollmentApp App { get; }
    public IBrowserContext Context { get; }
    public IPage Page { get; }
    public bool JavaScript { get; }

    /// <summary>Signs in as <c>akadmin</c> through the login form and waits for the admin overview.</summary>
    public async Task SignInAsAdminAsync()
    {
        await Page.GotoAsync("/if/login/");
        await Page.GetByLabel("Username or email").FillAsync("akadmin");
        await Page.GetByLabel("Password").FillAsync(EnrollmentApp.AdminPassword);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page).ToHaveURLAsync(App.Address + "/if/admin/");
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 })).ToBeVisibleAsync();
        // The whole layout follows the sign-in: who is signed in, and the admin navigation.
        await Expect(Page.Locator("header.topbar")).ToContainTextAsync("Signed in as akadmin");
        // On a phone the navigation is behind the Menu button.
        if ((Page.ViewportSize?.Width ?? 1280) > 768) await Expect(Page.GetByRole(AriaRole.Navigation, new() { Name = "Admin" })).ToBeVisibleAsync();
        else await Expect(Page.GetByText("Menu", new() { Exact = true })).ToBeVisibleAsync();
    }

    /// <summary>Saves a full-page PNG under <c>screenshots/</c> in the test output folder, for people to look at.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    /// <summary>Script errors and CSP violations the page reported so far (Chromium logs the latter as console errors).</summary>
    public IReadOnlyList<string> ScriptErrors => _scriptErrors;

    public void AssertNoScriptErrors() =>
        Assert.True(_scriptErrors.Count == 0, "The page reported errors:\n" + string.Join("\n", _scriptErrors));

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
