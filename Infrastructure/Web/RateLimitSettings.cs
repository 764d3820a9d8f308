namespace Enrollment.Infrastructure.Web;

/// <summary>
/// <c>RateLimits:*</c>. The defaults leave room for a person (several tries, a typo, a whole office behind one address
/// enrolling after a bulk invitation) and stop a script guessing passwords, usernames or links.
/// </summary>
public sealed class RateLimitSettings
{
    public const string Section = "RateLimits";

    /// <summary><c>false</c> turns every limit off: load tests and benchmarks send everything from one address.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sign-in form posts per client address.</summary>
    public RateLimitRule SignIn { get; set; } = new(10);

    /// <summary>Requests to the initial set-up page (which checks its token on every request) per client address.</summary>
    public RateLimitRule InitialSetup { get; set; } = new(10);

    /// <summary>Flow form posts (every stage's submit) per client address.</summary>
    public RateLimitRule Flow { get; set; } = new(120);

    /// <summary>Opening and confirming an email stage's link per client address, on top of <see cref="Flow"/>.</summary>
    public RateLimitRule EmailLink { get; set; } = new(20);

    /// <summary>API requests per token (per client address for requests without one).</summary>
    public RateLimitRule Api { get; set; } = new(600);

    public static RateLimitSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<RateLimitSettings>() ?? new RateLimitSettings();
}
