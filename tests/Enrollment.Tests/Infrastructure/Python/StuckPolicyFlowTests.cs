using System.Diagnostics;
using Enrollment.Domain;
using Enrollment.Features.FlowExecution;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Infrastructure.Python;

/// <summary>
/// Over HTTP, on two workers: while one flow's policy sleeps in C code, another flow's policy keeps answering, and
/// the stuck one is stopped at its binding's timeout, where its failure result applies.
/// </summary>
public sealed class StuckPolicyFlowTests(Hosts.WithTwoPythonWorkers app) : IClassFixture<Hosts.WithTwoPythonWorkers>
{
    [SkippableFact]
    public async Task A_flow_whose_policy_sleeps_does_not_hold_up_another_flows_policy()
    {
        PythonAvailable.Require(app);
        var stuckFlow = await GuardedFlowAsync(app, "stuck-sleeping");
        await BindAsync(app, new PolicyBinding { FlowId = stuckFlow.Id, Timeout = 8, Policy = Policy("stuck-sleeping-policy", "import time\ntime.sleep(60)\nreturn True") });
        var quickFlow = await GuardedFlowAsync(app, "stuck-quick");
        await BindAsync(app, new PolicyBinding { FlowId = quickFlow.Id, Policy = Policy("stuck-quick-policy", "return request.user.is_anonymous") });
        using (var warm = app.NewClient()) Assert.True(Allowed(await warm.GetPageAsync(FlowUrl(quickFlow)))); // workers started

        using var stuckClient = app.NewClient();
        var clock = Stopwatch.StartNew();
        var stuck = stuckClient.GetPageAsync(FlowUrl(stuckFlow));
        await Task.Delay(500); // its policy is in time.sleep by now

        for (var i = 0; i < 5; i++)
        {
            using var client = app.NewClient();
            var one = Stopwatch.StartNew();
            Assert.True(Allowed(await client.GetPageAsync(FlowUrl(quickFlow))));
            Assert.True(one.Elapsed < TimeSpan.FromSeconds(3), $"the quick flow took {one.Elapsed.TotalMilliseconds:F0} ms beside the stuck one");
        }
        Assert.False(stuck.IsCompleted, "the quick flows finished while the stuck policy still ran");

        var denied = await stuck.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(Allowed(denied)); // failure_result false: the flow is denied
        Assert.Equal(PolicyMessages.NotAllowed + " " + PolicyMessages.CouldNotCheck, Denial(denied));
        Assert.InRange(clock.Elapsed.TotalSeconds, 8, 13);
    }
}
