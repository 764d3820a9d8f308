using System.Diagnostics;
using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Infrastructure.Python.WorkerProcesses;

namespace Enrollment.Tests.Infrastructure.Python;

/// <summary>
/// Evaluations in two real worker processes: an expression stuck in C code (a sleep, a catastrophic regular
/// expression) is stopped at its timeout by killing its worker, which is replaced, while the other worker goes on
/// answering; a worker killed from outside is replaced too; <c>ak_user_by</c> is answered over the worker's pipe.
/// </summary>
public sealed class PythonWorkerPoolTests(Hosts.WithTwoPythonWorkers app) : IClassFixture<Hosts.WithTwoPythonWorkers>
{
    private PythonExpressions Python => app.Services.GetRequiredService<PythonExpressions>();
    private PythonWorkerPool Pool => app.Services.GetRequiredService<PythonWorkerPool>();

    private Task<ExpressionResult> RunAsync(string expression, JsonObject? context = null, double timeout = 5, Func<string, string?>? lookup = null) =>
        Python.EvaluateAsync(expression, Input(context), TimeSpan.FromSeconds(timeout), lookup ?? (_ => null), default)
            .WaitAsync(TimeSpan.FromSeconds(60)); // a test of a stuck expression fails rather than hangs

    private async Task<IReadOnlyList<int>> WarmAsync()
    {
        PythonAvailable.Require(Python);
        await Pool.WarmAsync();
        await WaitUntilAsync(() => Pool.ProcessIds.Count == 2, "two workers running");
        return Pool.ProcessIds;
    }

    [SkippableFact]
    public async Task A_sleeping_expression_stops_at_its_timeout_while_other_evaluations_keep_answering()
    {
        await WarmAsync();
        var started = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        // ak_user_by tells the test that the expression runs, and on which worker.
        var stuck = RunAsync("import os, time\nak_user_by(pk=os.getpid())\ntime.sleep(60)\nreturn True", timeout: 8,
            lookup: filters => { started.TrySetResult(filters); return null; });
        var pid = (int)JsonNode.Parse(await started.Task.WaitAsync(TimeSpan.FromSeconds(30)))!["pk"]!;

        var slowest = TimeSpan.Zero;
        for (var n = 0; n < 20; n++)
        {
            var one = Stopwatch.StartNew();
            var r = await RunAsync("return context['n'] * 2", new JsonObject { ["n"] = n });
            Assert.Equal(2 * n, (int)r.Value!);
            if (one.Elapsed > slowest) slowest = one.Elapsed;
        }
        Assert.False(stuck.IsCompleted, "the other evaluations finished while the sleeping one still ran");
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"an evaluation beside the stuck one took {slowest.TotalMilliseconds:F0} ms");

        var result = await stuck;
        var took = clock.Elapsed;
        Assert.True(result.TimedOut);
        Assert.False(result.Passing);
        Assert.Equal("Timed out after 8 s", result.Error);
        Assert.InRange(took.TotalSeconds, 8, 11);

        await WaitUntilAsync(() => Gone(pid), $"the stuck worker {pid} was killed", seconds: 5);
        await WaitUntilAsync(() => Pool.ProcessIds.Count == 2 && !Pool.ProcessIds.Contains(pid), "a replacement worker running");
    }

    [SkippableFact]
    public async Task A_catastrophic_regular_expression_times_out_at_its_timeout_and_the_next_evaluation_works()
    {
        await WarmAsync();
        var clock = Stopwatch.StartNew();
        // 2^40 backtracking steps inside the C regex engine: no Python bytecode runs, so no interrupt could land.
        var r = await RunAsync("import re\nreturn re.match(r'(a+)+$', 'a' * 40 + 'b') is not None", timeout: 1);
        var took = clock.Elapsed;
        Assert.True(r.TimedOut);
        Assert.Equal("Timed out after 1 s", r.Error);
        Assert.True(took < TimeSpan.FromSeconds(3), $"took {took.TotalSeconds:F1} s");

        var next = await RunAsync("import re\nreturn re.match(r'(a+)+$', 'aaaa') is not None");
        Assert.Null(next.Error);
        Assert.True(next.Passing);
    }

    [SkippableFact]
    public async Task Workers_killed_from_outside_are_replaced_and_the_next_evaluation_works()
    {
        var before = await WarmAsync();
        foreach (var pid in before) KillFromOutside(pid);
        await WaitUntilAsync(() => before.All(Gone), "both workers gone");

        var r = await RunAsync("import os\nreturn os.getpid()");
        Assert.True(r.Error is null, r.Error);
        Assert.DoesNotContain((int)r.Value!, before);
        await WaitUntilAsync(() => Pool.ProcessIds.Count == 2 && !Pool.ProcessIds.Intersect(before).Any(), "two new workers running");
    }

    [SkippableFact]
    public async Task An_evaluation_whose_worker_is_killed_from_outside_is_answered_by_a_new_worker()
    {
        await WarmAsync();
        var workers = new List<int>();
        var running = new SemaphoreSlim(0);
        var evaluation = RunAsync("import os, time\nak_user_by(pk=os.getpid())\ntime.sleep(1)\nreturn os.getpid()", timeout: 20, lookup: filters =>
        {
            lock (workers) workers.Add((int)JsonNode.Parse(filters)!["pk"]!);
            running.Release();
            return null;
        });
        Assert.True(await running.WaitAsync(TimeSpan.FromSeconds(30)));
        int first;
        lock (workers) first = workers[0];
        KillFromOutside(first);

        var r = await evaluation;
        Assert.True(r.Error is null, r.Error);
        lock (workers) Assert.Equal([first, (int)r.Value!], workers); // started over, once, on another worker
        Assert.NotEqual(first, (int)r.Value!);
    }

    [SkippableFact]
    public async Task Ak_user_by_is_answered_over_the_pipe_several_times_in_one_evaluation()
    {
        await WarmAsync();
        var asked = new List<string>();
        var r = await RunAsync("""
            jane = ak_user_by(username='jane')
            nobody = ak_user_by(email='nobody@example.com')
            ak_message(f"found {jane.username}")
            return [jane.username, jane.attributes.get('level'), ak_is_group_member(jane, name='staff'), nobody is None]
            """, lookup: filters =>
        {
            asked.Add(filters);
            return filters.Contains("jane")
                ? new JsonObject { ["pk"] = 7, ["username"] = "jane", ["attributes"] = new JsonObject { ["level"] = 3 }, ["groups"] = new JsonArray(new JsonObject { ["name"] = "staff" }) }.ToJsonString()
                : null;
        });
        Assert.Null(r.Error);
        Assert.Equal("""["jane",3,true,true]""", r.Value!.ToJsonString());
        Assert.Equal(["found jane"], r.Messages);
        Assert.Equal(["""{"username": "jane"}""", """{"email": "nobody@example.com"}"""], asked);
    }

    [SkippableFact]
    public async Task A_lookup_that_fails_raises_in_the_expression_with_its_type_and_message()
    {
        await WarmAsync();
        Func<string, string?> refuse = _ => throw new ArgumentException("ak_user_by does not support the filter \"nickname\"");

        var r = await RunAsync("x = 1\nreturn ak_user_by(nickname='jane')", lookup: refuse);
        Assert.Equal("ArgumentException: ak_user_by does not support the filter \"nickname\"", r.Error);
        Assert.Equal(2, r.Line);

        var caught = await RunAsync("try:\n    ak_user_by(nickname='jane')\nexcept Exception as e:\n    return str(e)", lookup: refuse);
        Assert.Equal("ak_user_by does not support the filter \"nickname\"", (string?)caught.Value);
    }
}
