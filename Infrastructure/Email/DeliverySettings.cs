using System.Globalization;

namespace Enrollment.Infrastructure.Email;

/// <summary>How queued emails are retried: <c>Email:RetrySchedule</c>.</summary>
/// <param name="RetrySchedule">
/// The delay before attempt n+1 after n failed attempts; after the last one the recipient has failed. Empty: a
/// transient failure fails the recipient at once.
/// </param>
public sealed record DeliverySettings(IReadOnlyList<TimeSpan> RetrySchedule)
{
    public static readonly IReadOnlyList<TimeSpan> DefaultRetrySchedule =
        [TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(4)];

    /// <summary>
    /// Reads a list (<c>Email:RetrySchedule:0</c>, <c>:1</c>, … — a JSON array in appsettings, <c>Email__RetrySchedule__0</c>
    /// in the environment) or one comma-separated value (<c>00:00:30, 00:02:00</c>; an empty value for no retries).
    /// </summary>
    public static DeliverySettings FromConfiguration(IConfiguration configuration)
    {
        var section = configuration.GetSection("Email:RetrySchedule");
        var children = section.GetChildren().ToList();
        IEnumerable<string> values;
        if (children.Count > 0)
            values = children.OrderBy(c => int.TryParse(c.Key, out var i) ? i : int.MaxValue).Select(c => c.Value ?? "");
        else if (section.Value is { } single)
            values = single.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        else
            return new DeliverySettings(DefaultRetrySchedule);

        var schedule = new List<TimeSpan>();
        foreach (var value in values)
        {
            if (!TimeSpan.TryParse(value.Trim(), CultureInfo.InvariantCulture, out var delay) || delay <= TimeSpan.Zero)
                throw new InvalidOperationException($"Email:RetrySchedule: \"{value}\" is not a positive time span such as 00:00:30 or 04:00:00.");
            schedule.Add(delay);
        }
        return new DeliverySettings(schedule);
    }
}
