using Enrollment.Features.Invitations.ExpireInvitations;
using Enrollment.Features.Invitations.RemindInvitations;
using Enrollment.Features.Invitations.Shared;
using Hangfire;

namespace Enrollment.Features.Invitations;

public static class InvitationsRegistration
{
    /// <summary>What the invitations area adds to the engines: its blueprint model.</summary>
    public static IServiceCollection AddInvitations(this IServiceCollection services)
    {
        services.AddSingleton(InvitationBlueprint.Model());
        return services;
    }

    /// <summary>
    /// Expired invitations are deleted on a schedule (<c>Jobs:ExpireInvitations</c>, default every 5 minutes); reminders
    /// that fall due are sent or cancelled every minute (<c>Jobs:SendDueReminders</c>).
    /// </summary>
    public static WebApplication UseInvitations(this WebApplication app)
    {
        // A stable id: restarts and several processes update one recurring job instead of adding more.
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<ExpireInvitationsJob>(ExpireInvitationsJob.Id,
            j => j.RunAsync(CancellationToken.None), app.Configuration["Jobs:ExpireInvitations"] ?? "*/5 * * * *");
        // Reminders fall due by the day; every minute is soon enough and cheap (one indexed query when none is due).
        app.Services.GetRequiredService<IRecurringJobManager>().AddOrUpdate<SendDueRemindersJob>(SendDueRemindersJob.Id,
            j => j.RunAsync(CancellationToken.None), app.Configuration["Jobs:SendDueReminders"] ?? "* * * * *");
        return app;
    }
}
