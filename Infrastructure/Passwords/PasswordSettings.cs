namespace Enrollment.Infrastructure.Passwords;

/// <summary>The <c>Passwords</c> section of the configuration.</summary>
public sealed class PasswordSettings
{
    public const string Section = "Passwords";

    /// <summary>Have I Been Pwned's Pwned Passwords API; <c>/range/&lt;first five hex digits&gt;</c> is appended.</summary>
    public string HibpBaseUrl { get; set; } = "https://api.pwnedpasswords.com";

    /// <summary>How long a look-up may take before the check is skipped (an enrollment never waits longer).</summary>
    public TimeSpan HibpTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
