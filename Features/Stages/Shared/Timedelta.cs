namespace Enrollment.Features.Stages.Shared;

/// <summary>authentik's timedelta strings: <c>hours=8</c>, <c>days=1;hours=2</c>, <c>seconds=0</c>.</summary>
public static class Timedelta
{
    public static TimeSpan Parse(string? text)
    {
        var total = TimeSpan.Zero;
        foreach (var part in (text ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv.Length != 2 || !double.TryParse(kv[1], System.Globalization.CultureInfo.InvariantCulture, out var n)) continue;
            total += kv[0] switch
            {
                "weeks" => TimeSpan.FromDays(7 * n),
                "days" => TimeSpan.FromDays(n),
                "hours" => TimeSpan.FromHours(n),
                "minutes" => TimeSpan.FromMinutes(n),
                "seconds" => TimeSpan.FromSeconds(n),
                "milliseconds" => TimeSpan.FromMilliseconds(n),
                "microseconds" => TimeSpan.FromTicks((long)(n * 10)),
                _ => TimeSpan.Zero,
            };
        }
        return total;
    }
}
