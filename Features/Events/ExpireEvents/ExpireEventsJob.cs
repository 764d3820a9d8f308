using Mediator;

namespace Enrollment.Features.Events.ExpireEvents;

/// <summary>The Hangfire entry point: carries no data, sends the slice's command with the configured retention.</summary>
public sealed class ExpireEventsJob(ISender sender, TimeProvider clock, IConfiguration configuration, ILogger<ExpireEventsJob> log)
{
    public const string Id = "expire-events";

    public async Task RunAsync(CancellationToken ct)
    {
        var days = configuration.GetValue("Events:RetentionDays", ExpireEvents.DefaultRetentionDays);
        var deleted = await sender.Send(new ExpireEvents.Command(clock.GetUtcNow().UtcDateTime, days), ct);
        if (deleted > 0) log.LogInformation("Deleted {Count} events older than {Days} days.", deleted, days);
    }
}
