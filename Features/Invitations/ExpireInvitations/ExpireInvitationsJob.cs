using Mediator;

namespace Enrollment.Features.Invitations.ExpireInvitations;

/// <summary>The Hangfire entry point: carries no data, sends the slice's command with the configured keep period.</summary>
public sealed class ExpireInvitationsJob(ISender sender, TimeProvider clock, IConfiguration configuration)
{
    public const string Id = "expire-invitations";

    public async Task RunAsync(CancellationToken ct) =>
        await sender.Send(new ExpireInvitations.Command(clock.GetUtcNow().UtcDateTime,
            configuration.GetValue("Invitations:KeepExpiredDays", ExpireInvitations.DefaultKeepExpiredDays)), ct);
}
