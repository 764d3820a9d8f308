using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.FlowExecution.ExpireFlowPlans;

public sealed class ExpireFlowPlansJob(ISender sender, TimeProvider clock)
{
    public const string Id = "expire-flow-plans";

    public async Task RunAsync(CancellationToken ct) =>
        await sender.Send(new ExpireFlowPlans.Command(clock.GetUtcNow().UtcDateTime), ct);
}
