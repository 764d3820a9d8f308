using Mediator;

namespace Enrollment.Features.Invitations.RemindInvitations;

/// <summary>The Hangfire entry point: carries no data, sends the slice's command with the app's clock.</summary>
public sealed class SendDueRemindersJob(ISender sender, TimeProvider clock)
{
    public const string Id = "send-due-reminders";

    public async Task RunAsync(CancellationToken ct) =>
        await sender.Send(new SendDueReminders.Command(clock.GetUtcNow().UtcDateTime), ct);
}
