using Microsoft.Playwright;
using Xunit.Sdk;

namespace Enrollment.Tests.Kit.Browser;

/// <summary>
/// One app served by Kestrel (<see cref="Hosts.ForBrowser"/>) and one headless Chromium per test class; every test opens its own browser context
/// (own cookies, own JavaScript setting) with <see cref="OpenAsync"/>.
/// Without a usable Chromium the tests are skipped with the reason — except on CI (<c>CI=true</c>), where they fail.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Overrides the Chromium executable; Debian's <c>/usr/bin/chromium</c> by default.</summary>
    public const string ExecutableVariable = "ENROLLMENT_CHROMIUM";

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public Hosts.ForBrowser App { get; } = new();

    /// <summary>Why there is no browser, or null when there is one.</summary>
    public string? Unavailable { get; private set; }

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        var path = ExecutablePath;
        if (!File.Exists(path))
        {
            Unavailable = $"No Chromium at {path}: install Debian's chromium package or point {ExecutableVariable} at a Chromium executable.";
            return;
        }
        try
        {
            // The NuGet package's bundled driver, with the system's Chromium: no browser download (`playwright install`).
            _playwright = await Playwright.CreateAsync();
            _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = path,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
        }
        catch (Exception e)
        {
            Unavailable = $"Chromium at {path} failed to launch ({ExecutableVariable} overrides the path): {e.GetType().Name}: {e.Message}";
            return;
        }
        App.StartKestrel();
    }

    /// <summary>Skips the test when there is no browser; on CI a missing browser is a failure instead.</summary>
    public void RequireBrowser()
    {
        if (Unavailable is null) return;
        if (TestDatabase.IsCi) throw new XunitException("Browser tests must run on CI (CI=true), but: " + Unavailable);
        Skip.If(true, Unavailable);
    }

    /// <summary>
    /// A fresh browser context (no cookies) and page, with JavaScript on or off, at a window size (a phone is 390×844);
    /// <paramref name="bypassCsp"/> lets a test inject axe-core into our CSP-protected pages.
    /// </summary>
    public async Task<BrowserSession> OpenAsync(bool javaScript, int width = 1280, int height = 900, bool bypassCsp = false)
    {
        RequireBrowser();
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = App.Address,
            JavaScriptEnabled = javaScript,
            Permissions = javaScript ? ["clipboard-read", "clipboard-write"] : [],
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BypassCSP = bypassCsp,
            Locale = "en-US",
        });
        context.SetDefaultTimeout(15_000);
        return new BrowserSession(App, context, await context.NewPageAsync(), javaScript);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.CloseAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
