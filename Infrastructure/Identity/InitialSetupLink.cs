using System.Security.Cryptography;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// The one-time link that lets the first admin choose a password when none was configured. It works for
/// <c>InitialSetup:LinkLifetime</c> (default one hour) from when the server logged it: a link found later in an old log
/// or a shared terminal is useless. Each start logs a new one.
/// </summary>
public sealed class InitialSetupLink
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(1);

    private readonly TimeProvider _clock;

    public InitialSetupLink(TimeProvider clock, IConfiguration configuration)
    {
        _clock = clock;
        var lifetime = configuration.GetValue("InitialSetup:LinkLifetime", DefaultLifetime);
        Lifetime = lifetime > TimeSpan.Zero ? lifetime : DefaultLifetime;
        Expires = clock.GetUtcNow() + Lifetime;
    }

    /// <summary>The set-up page's address (authentik's).</summary>
    public const string Path = "/if/flow/initial-setup/";

    public string Token { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
    public string Link => $"{Path}?token={Token}";
    public TimeSpan Lifetime { get; }
    public DateTimeOffset Expires { get; }
    public bool IsExpired => _clock.GetUtcNow() >= Expires;
}
