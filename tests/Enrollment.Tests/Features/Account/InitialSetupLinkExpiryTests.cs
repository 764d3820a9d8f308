using System.Net;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;

namespace Enrollment.Tests.Features.Account;

/// <summary>An install without a bootstrap password, on a clock the test can move forward.</summary>
public class SetupLinkApp : EnrollmentApp
{
    public SetupLinkApp() : this(null) { }

    protected SetupLinkApp(string? linkLifetime) : base(new HostConfiguration
    {
        Settings = _ => linkLifetime is null
            ? new Dictionary<string, string?> { ["ENROLLMENT_BOOTSTRAP_PASSWORD"] = "", ["ENROLLMENT_BOOTSTRAP_TOKEN"] = "" }
            : new Dictionary<string, string?> { ["ENROLLMENT_BOOTSTRAP_PASSWORD"] = "", ["ENROLLMENT_BOOTSTRAP_TOKEN"] = "", ["InitialSetup:LinkLifetime"] = linkLifetime },
    })
    {
    }

    public MovableClock Clock { get; } = new();
    public ConcurrentQueue<string> Log { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<TimeProvider>(Clock));
        builder.ConfigureLogging(l => l.AddProvider(new Capture(Log)));
    }

    /// <summary>The start-up log, as an admin reads it.</summary>
    private sealed class Capture(ConcurrentQueue<string> lines) : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) lines.Enqueue(formatter(state, exception));
        }
        public void Dispose() { }
    }

    /// <summary>The system's clock plus however far the test moved it.</summary>
    public sealed class MovableClock : TimeProvider
    {
        private TimeSpan _ahead;

        public void Advance(TimeSpan by) => _ahead += by;

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _ahead;
    }
}

/// <summary>The same, with <c>InitialSetup:LinkLifetime</c> set.</summary>
public sealed class TenMinuteSetupLinkApp() : SetupLinkApp("00:10:00");

/// <summary>The initial set-up link expires (an hour by default): found later in an old log, it creates no administrator.</summary>
public sealed class InitialSetupLinkExpiryTests(SetupLinkApp app) : IClassFixture<SetupLinkApp>
{
    [Fact]
    public async Task The_set_up_link_works_for_an_hour_then_neither_the_page_nor_a_form_fetched_in_time_creates_an_admin()
    {
        var setup = app.Services.GetRequiredService<InitialSetupLink>();
        Assert.Equal(TimeSpan.FromHours(1), setup.Lifetime);
        // The start-up log gives the link and says until when it works.
        Assert.Contains(app.Log, l => l.Contains(setup.Link) && l.Contains($"at most until {setup.Expires:u}") && l.Contains("restart the server for a new one"));
        using var early = app.NewClient();
        await early.GetPageAsync(setup.Link);
        app.Clock.Advance(TimeSpan.FromMinutes(58));
        var form = await early.GetPageAsync(setup.Link); // still works near the end
        var token = TestClient.AntiforgeryToken(form);

        app.Clock.Advance(TimeSpan.FromMinutes(3));
        using var late = app.NewClient();
        var page = await late.GetPageAsync(setup.Link, HttpStatusCode.NotFound);
        Assert.Contains("expired", page.QuerySelector("[role=alert]")!.TextContent);

        var posted = await early.Http.PostAsync(setup.Link, new FormUrlEncodedContent(
        [
            new("Token", setup.Token), new("Input.Email", "root@example.com"), new("Input.Password", "Setup-Tulip-Glacier-58!"),
            new("Input.PasswordRepeat", "Setup-Tulip-Glacier-58!"), new("__RequestVerificationToken", token),
        ]));
        Assert.Equal(HttpStatusCode.NotFound, posted.StatusCode);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(Domain.User.People)));
    }
}

public sealed class ConfiguredSetupLinkLifetimeTests(TenMinuteSetupLinkApp app) : IClassFixture<TenMinuteSetupLinkApp>
{
    [Fact]
    public async Task InitialSetup_LinkLifetime_sets_how_long_the_link_works()
    {
        var setup = app.Services.GetRequiredService<InitialSetupLink>();
        Assert.Equal(TimeSpan.FromMinutes(10), setup.Lifetime);
        using var client = app.NewClient();
        app.Clock.Advance(TimeSpan.FromMinutes(9));
        await client.GetPageAsync(setup.Link);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await client.GetPageAsync(setup.Link, HttpStatusCode.NotFound);
    }
}
