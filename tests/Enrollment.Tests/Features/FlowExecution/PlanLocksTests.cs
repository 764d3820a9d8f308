using Enrollment.Infrastructure.FlowExecution;

namespace Enrollment.Tests.Features.FlowExecution;

public sealed class PlanLocksTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public async Task Requests_for_one_plan_take_turns_and_other_plans_do_not_wait()
    {
        var locks = new PlanLocks(TimeProvider.System);
        var first = await locks.EnterAsync("plan-a", CancellationToken.None);
        var second = locks.EnterAsync("plan-a", CancellationToken.None);
        using (await locks.EnterAsync("plan-b", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5))) { }

        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        first.Dispose();
        first.Dispose(); // twice is once
        using (await second.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            var third = locks.EnterAsync("plan-a", CancellationToken.None);
            await Task.Delay(50);
            Assert.False(third.IsCompleted); // the double dispose did not let a third in beside the second
            _ = third.ContinueWith(t => t.Result.Dispose(), TaskScheduler.Default);
        }
    }

    [Fact]
    public async Task A_request_that_gives_up_waiting_leaves_the_lock_as_it_was()
    {
        var locks = new PlanLocks(TimeProvider.System);
        var holder = await locks.EnterAsync("plan", CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => locks.EnterAsync("plan", cancel.Token));

        var next = locks.EnterAsync("plan", CancellationToken.None);
        Assert.False(next.IsCompleted);
        holder.Dispose();
        (await next.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        // All gone: a new request gets in at once.
        (await locks.EnterAsync("plan", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public void Where_a_plan_finished_is_remembered_for_two_minutes()
    {
        var clock = new Clock();
        var locks = new PlanLocks(clock);
        Assert.Null(locks.FinishedAt("plan"));
        locks.Finished("plan", "/if/user/");
        Assert.Equal("/if/user/", locks.FinishedAt("plan"));
        Assert.Null(locks.FinishedAt("another plan"));

        clock.Now += PlanLocks.RememberFinished - TimeSpan.FromSeconds(1);
        Assert.Equal("/if/user/", locks.FinishedAt("plan"));
        clock.Now += TimeSpan.FromSeconds(2);
        Assert.Null(locks.FinishedAt("plan"));
        locks.Finished("later", "/next/");
        Assert.Null(locks.FinishedAt("plan"));
        Assert.Equal("/next/", locks.FinishedAt("later"));
    }
}
