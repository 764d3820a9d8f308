namespace Enrollment.Infrastructure.Jobs;

/// <summary>The <c>Jobs:*</c> timings every host reads: how often workers poll, and how soon a crashed worker's job runs again.</summary>
/// <param name="PollInterval">How often idle workers look for new jobs and the scheduler for due delayed jobs.</param>
/// <param name="InvisibilityTimeout">
/// How long a job taken by a worker stays hidden from the others. A process killed mid-job leaves its job taken; once
/// this has passed, any instance runs it again. The storages that can (PostgreSQL, SQL Server) keep extending it while
/// the worker is alive; on SQLite a job must finish within it, so long jobs stop at half of it and leave the rest to a
/// new job.
/// </param>
public sealed record JobSettings(TimeSpan PollInterval, TimeSpan? ConfiguredPollInterval, TimeSpan InvisibilityTimeout)
{
    public static readonly TimeSpan DefaultInvisibilityTimeout = TimeSpan.FromMinutes(1);

    public static JobSettings From(IConfiguration configuration)
    {
        // 1 s by default, so an invitation email leaves about a second after the admin asks (the SQLite and PostgreSQL
        // storages' own default is 15 s; SQL Server's storage polls sub-second by itself). E.g. "00:00:00.200" in tests.
        var configuredPoll = Positive(configuration, "Jobs:PollInterval");
        var invisibility = Positive(configuration, "Jobs:InvisibilityTimeout") ?? DefaultInvisibilityTimeout;
        return new JobSettings(configuredPoll ?? TimeSpan.FromSeconds(1), configuredPoll, invisibility);
    }

    /// <summary>How long one run of a long job may go on before it hands the rest to a new job (see <see cref="InvisibilityTimeout"/>).</summary>
    public TimeSpan RunBudget => InvisibilityTimeout / 2;

    private static TimeSpan? Positive(IConfiguration configuration, string key)
    {
        var raw = configuration[key];
        if (string.IsNullOrWhiteSpace(raw)) return null;
        if (!TimeSpan.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out var value) || value <= TimeSpan.Zero)
            throw new InvalidOperationException($"{key} \"{raw}\" is not a positive time span such as 00:01:00.");
        return value;
    }
}
