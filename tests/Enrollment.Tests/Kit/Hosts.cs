using Microsoft.AspNetCore.TestHost;
using Enrollment.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Kit;

/// <summary>
/// The named hosts the tests run on. A test class picks one by name, as a class fixture
/// (<c>IClassFixture&lt;Hosts.Default&gt;</c>: one host per class) or as the collection fixture of a collection of
/// classes that share one host; its tests then get it through their constructor.
/// </summary>
public static class Hosts
{
    private static Dictionary<string, string?> Settings(params (string Key, string? Value)[] settings) =>
        settings.ToDictionary(s => s.Key, s => s.Value);

    /// <summary>A host built for one test with its own settings over the defaults (a connection string known only then, say).</summary>
    public sealed class WithSettings(IDictionary<string, string?> settings) : EnrollmentApp(new HostConfiguration { Settings = _ => settings });

    /// <summary>The app as a first start leaves it: <c>akadmin</c>, its API token, and the default blueprints applied.</summary>
    public sealed class Default() : EnrollmentApp(new HostConfiguration());

    /// <summary>A database holding only what bootstrap made (the brand and <c>akadmin</c>): no default flow from <c>blueprints/default/</c>.</summary>
    public sealed class WithoutDefaultBlueprints() : EnrollmentApp(new HostConfiguration
    {
        Settings = _ => Settings(("Blueprints:ApplyDefaults", "false")),
    });

    /// <summary>An install started without <c>ENROLLMENT_BOOTSTRAP_PASSWORD</c>: nobody can sign in until the set-up link is used.</summary>
    public sealed class Unconfigured() : EnrollmentApp(new HostConfiguration
    {
        Settings = _ => Settings(("ENROLLMENT_BOOTSTRAP_PASSWORD", ""), ("ENROLLMENT_BOOTSTRAP_TOKEN", "")),
    });

    /// <summary>A missing Python runtime, simulated by a wrong <c>Python:Library</c>: the server runs, every expression fails.</summary>
    public sealed class WithoutPython() : EnrollmentApp(new HostConfiguration
    {
        Settings = _ => Settings(("Python:Library", MissingPythonLibrary)),
    })
    {
        public const string MissingPythonLibrary = "/nonexistent/libpython3.11.so";
    }

    /// <summary>
    /// Have I Been Pwned's range API played by <see cref="Pwned"/> on loopback (<c>Passwords:HibpBaseUrl</c>), with a
    /// short timeout so a test of a stopped service does not wait long.
    /// </summary>
    public sealed class WithPwnedPasswords : EnrollmentApp
    {
        public LoopbackPwnedPasswords Pwned { get; }

        public WithPwnedPasswords() : this(new LoopbackPwnedPasswords()) { }

        private WithPwnedPasswords(LoopbackPwnedPasswords pwned) : base(new HostConfiguration
        {
            Settings = _ => Settings(("Passwords:HibpBaseUrl", pwned.BaseUrl), ("Passwords:HibpTimeout", "00:00:02")),
        }) => Pwned = pwned;

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Pwned.DisposeAsync();
        }
    }

    /// <summary>Two Python worker processes (<c>Python:Workers=2</c>) whatever the machine: one can be stuck while the other answers.</summary>
    public sealed class WithTwoPythonWorkers() : EnrollmentApp(new HostConfiguration
    {
        Settings = _ => Settings(("Python:Workers", "2")),
    });

    /// <summary>One Python worker process (<c>Python:Workers=1</c>): every evaluation meets the same worker, its process and its compile cache.</summary>
    public sealed class WithOnePythonWorker() : EnrollmentApp(new HostConfiguration
    {
        Settings = _ => Settings(("Python:Workers", "1")),
    });

    /// <summary>
    /// Global <c>Email:*</c> settings pointing at a real SMTP server on loopback (<see cref="EnrollmentApp.Smtp"/>); no job
    /// server, so tests run the delivery jobs themselves.
    /// </summary>
    public sealed class WithSmtp() : EnrollmentApp(new HostConfiguration { Mail = HostConfiguration.MailServer.Listening });

    /// <summary>A real SMTP server on loopback and the app's Hangfire server running: tests see what the background jobs do.</summary>
    public sealed class WithSmtpAndJobs() : EnrollmentApp(new HostConfiguration { Mail = HostConfiguration.MailServer.Listening, JobServer = true });

    /// <summary>Configured for an SMTP server on <see cref="EnrollmentApp.SmtpPort"/>, where nothing listens until a test starts one; jobs run.</summary>
    public sealed class WithSmtpDownAndJobs() : EnrollmentApp(new HostConfiguration { Mail = HostConfiguration.MailServer.NotListening, JobServer = true });

    /// <summary>No <c>Email:Host</c>, as on a fresh install (messages go to <see cref="EnrollmentApp.MailDirectory"/>); jobs run.</summary>
    public sealed class WithPickupDirectoryAndJobs() : EnrollmentApp(new HostConfiguration { JobServer = true });

    /// <summary>
    /// The blueprint engine with <c>!File</c> rooted in <see cref="BlueprintRoot"/>, a folder of the host's own data
    /// directory; no default blueprints.
    /// </summary>
    public sealed class WithBlueprintRoot() : EnrollmentApp(new HostConfiguration
    {
        Settings = app => Settings(("Blueprints:Root", RootOf(app)), ("Blueprints:ApplyDefaults", "false")),
        Prepare = app => Directory.CreateDirectory(RootOf(app)),
    })
    {
        public string BlueprintRoot => RootOf(this);

        private static string RootOf(EnrollmentApp app) => Path.Combine(app.DataDirectory, "blueprints");
    }

    /// <summary>
    /// A blueprints folder of the host's own (<see cref="BlueprintRoot"/>) holding <c>watched.yaml</c> (a flow
    /// <c>watched-flow</c> titled "First") when the host starts, watched every 200 ms; no default blueprints.
    /// </summary>
    public sealed class WithWatchedBlueprints() : EnrollmentApp(new HostConfiguration
    {
        Settings = app => Settings(("Blueprints:Root", RootOf(app)), ("Blueprints:ApplyDefaults", "false"), ("Blueprints:WatchInterval", "00:00:00.200")),
        Prepare = app =>
        {
            Directory.CreateDirectory(RootOf(app));
            File.WriteAllText(Path.Combine(RootOf(app), "watched.yaml"), Watched("First"));
        },
    })
    {
        public string BlueprintRoot => RootOf(this);

        public static string Watched(string title) => $$"""
            version: 1
            metadata:
              name: Watched flow
              labels: {team: tests}
            entries:
            - model: authentik_flows.flow
              identifiers: {slug: watched-flow}
              attrs: {name: Watched, title: {{title}}, designation: enrollment}
            """;

        private static string RootOf(EnrollmentApp app) => Path.Combine(app.DataDirectory, "watched-blueprints");
    }

    /// <summary>
    /// <c>Blueprints:Root</c> at a folder of the host's own (<see cref="Root"/>) holding the tests' tiny blueprint (in a
    /// subfolder), a system blueprint and a broken one; a blueprint outside that folder lies in the data directory.
    /// </summary>
    public sealed class WithShippedBlueprints() : EnrollmentApp(new HostConfiguration
    {
        Settings = app => Settings(("Blueprints:Root", RootOf(app))),
        Prepare = app =>
        {
            var root = RootOf(app);
            Directory.CreateDirectory(Path.Combine(root, "examples"));
            File.Copy(BlueprintKit.TinyPath, Path.Combine(root, "examples", "tiny-enrollment.yaml"), overwrite: true);
            File.WriteAllText(Path.Combine(root, "system.yaml"), "version: 1\nmetadata:\n  name: System defaults\n  labels: {team: core}\nentries: []\n");
            File.WriteAllText(Path.Combine(root, "broken.yaml"), "version: 1\nmetadata: {name: [unclosed\n");
            File.WriteAllText(Path.Combine(app.DataDirectory, "outside.yaml"), "version: 1\nentries: []\n");
        },
    })
    {
        public string Root => RootOf(this);

        private static string RootOf(EnrollmentApp app) => Path.Combine(app.DataDirectory, "shipped");
    }

    /// <summary>An email template of the admin's own (<c>custom.cshtml</c>) in the data directory's <c>templates/email</c>.</summary>
    public sealed class WithCustomEmailTemplate() : EnrollmentApp(new HostConfiguration
    {
        Prepare = app =>
        {
            var dir = Directory.CreateDirectory(Path.Combine(app.DataDirectory, "templates", "email"));
            File.WriteAllText(Path.Combine(dir.FullName, "custom.cshtml"),
                "@model Enrollment.Infrastructure.Email.InvitationEmail\n<p>Custom for @Model.Host: @Model.Url</p>");
        },
    });

    /// <summary>The app served by Kestrel on 127.0.0.1, so a real browser can reach it (see <see cref="Browser.BrowserFixture"/>).</summary>
    public sealed class ForBrowser() : EnrollmentApp(new HostConfiguration { Kestrel = true });

    /// <summary>
    /// Another server process on the same data directory and database as <paramref name="first"/>: the same SQLite
    /// file (or PostgreSQL database) and the same data-protection keys (DataDirectory/keys), so cookies and antiforgery
    /// tokens issued by one are accepted by the other. Disposing it leaves the shared data alone. Not a fixture: a
    /// test starts it beside its own host. <paramref name="settings"/> go over the defaults (other bootstrap variables, say).
    /// </summary>
    public sealed class SharingDatabaseWith(EnrollmentApp first, IDictionary<string, string?>? settings = null) : EnrollmentApp(new HostConfiguration
    {
        Settings = _ => settings ?? new Dictionary<string, string?>(),
        Configure = builder =>
        {
            var database = first.Services.GetRequiredService<DatabaseSettings>();
            builder.UseSetting("DataDirectory", first.DataDirectory);
            builder.UseSetting("Database:Provider", database.Provider.ToString());
            builder.UseSetting("Database:ConnectionString", database.ConnectionString);
        },
    });

    /// <summary>
    /// The app with a hook into saving (<see cref="ConcurrentRemoval"/>): a save that deletes or changes the invitation
    /// named in <see cref="RemoveBeforeSaving"/> finds it deleted by another scope first, as by the expiry job.
    /// </summary>
    public sealed class WithConcurrentRemoval() : EnrollmentApp(new HostConfiguration
    {
        Configure = builder => builder.ConfigureTestServices(ConcurrentRemoval.Register),
    })
    {
        /// <summary>The invitation to take away from under the next save that touches it; once.</summary>
        public Guid? RemoveBeforeSaving
        {
            get => Services.GetRequiredService<ConcurrentRemoval>().Target;
            set => Services.GetRequiredService<ConcurrentRemoval>().Target = value;
        }
    }
}
