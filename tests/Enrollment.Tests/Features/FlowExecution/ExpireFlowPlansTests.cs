using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Tests.Kit;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>The recurring job that deletes flow plans nobody finished.</summary>
public sealed class ExpireFlowPlansTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task Abandoned_flow_plans_are_deleted_once_past_their_lifetime()
    {
        var flow = await app.FlowAsync("plans-flow");
        var now = new DateTime(2030, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        await app.DbAsync(db =>
        {
            db.FlowPlans.AddRange(
                new FlowPlan { KeyHash = new string('a', 64), FlowId = flow.Id, Expires = now.AddMinutes(-1) },
                new FlowPlan { KeyHash = new string('b', 64), FlowId = flow.Id, Expires = now.AddMinutes(1) });
            return db.SaveChangesAsync();
        });
        Assert.Equal(1, await app.SendAsync(new Enrollment.Features.FlowExecution.ExpireFlowPlans.ExpireFlowPlans.Command(now)));
        Assert.Equal(new string('b', 64), await app.DbAsync(db => db.FlowPlans.Where(p => p.FlowId == flow.Id).Select(p => p.KeyHash).SingleAsync()));
        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        Assert.Contains(connection.GetRecurringJobs(), j => j.Id == Enrollment.Features.FlowExecution.ExpireFlowPlans.ExpireFlowPlansJob.Id);
    }
}
