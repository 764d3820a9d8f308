using Enrollment.Features.Events.ExpireEvents;
using Hangfire;

namespace Enrollment.Features.Events;

public static class EventsRegistration
{
    /// <summary>Events past their retention are deleted daily (<c>Jobs:ExpireEvents</c>, default 03:41 UTC).</summary>
    public static WebApplication UseEvents(this WebApplication app)
    {
        // A stable id: restarts and several processes update one recurring job instead of adding more.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<ExpireEventsJob>(ExpireEventsJob.Id,
            j => j.RunAsync(CancellationToken.None), app.Configuration["Jobs:ExpireEvents"] ?? "41 3 * * *");
        return app;
    }
}
