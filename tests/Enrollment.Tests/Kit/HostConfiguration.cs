using Microsoft.AspNetCore.Hosting;

namespace Enrollment.Tests.Kit;

/// <summary>
/// What one host does differently from the default <see cref="EnrollmentApp"/>: settings over the defaults, a mail
/// server, the job server, files put in its data directory before it starts. The named configurations are in <see cref="Hosts"/>.
/// </summary>
public sealed record HostConfiguration
{
    public enum MailServer
    {
        /// <summary>No <c>Email:Host</c>, as on a fresh install: messages go to <c>&lt;DataDirectory&gt;/mail</c>.</summary>
        None,
        /// <summary>A real SMTP server on loopback (<see cref="EnrollmentApp.Smtp"/>) for as long as the host lives.</summary>
        Listening,
        /// <summary>Configured for an SMTP server on <see cref="EnrollmentApp.SmtpPort"/>, where nothing listens until a test starts one.</summary>
        NotListening,
    }

    /// <summary>Settings put over the defaults (and over what <see cref="Mail"/> and <see cref="JobServer"/> set).</summary>
    public Func<EnrollmentApp, IDictionary<string, string?>>? Settings { get; init; }

    public MailServer Mail { get; init; } = MailServer.None;

    /// <summary>The app's own Hangfire server runs (workers poll every 200 ms); by default tests run jobs themselves, or not at all.</summary>
    public bool JobServer { get; init; }

    /// <summary>Served by Kestrel on 127.0.0.1 (a free port) once <see cref="EnrollmentApp.StartKestrel"/> runs, so a real browser can reach it.</summary>
    public bool Kestrel { get; init; }

    /// <summary>Runs before the app starts, e.g. to put files in <see cref="EnrollmentApp.DataDirectory"/>.</summary>
    public Action<EnrollmentApp>? Prepare { get; init; }

    /// <summary>The last say over the web host, after every setting above.</summary>
    public Action<IWebHostBuilder>? Configure { get; init; }
}
