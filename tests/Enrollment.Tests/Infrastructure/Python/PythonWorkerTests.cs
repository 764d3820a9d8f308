using System.Diagnostics;
using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Infrastructure.Python.WorkerProcesses;

namespace Enrollment.Tests.Infrastructure.Python;

/// <summary>
/// One real worker process (<c>Python:Workers=1</c>), so every evaluation meets the same worker: its compile cache
/// lives as long as it does, nothing an expression prints, reads or raises ends it, and an evaluation queued behind a
/// stuck one runs on the replacement once the stuck one's timeout has passed.
/// </summary>
public sealed class PythonWorkerTests(Hosts.WithOnePythonWorker app) : IClassFixture<Hosts.WithOnePythonWorker>
{
    private PythonExpressions Python => app.Services.GetRequiredService<PythonExpressions>();
    private PythonWorkerPool Pool => app.Services.GetRequiredService<PythonWorkerPool>();

    private Task<ExpressionResult> RunAsync(string expression, double timeout = 5) =>
        Python.EvaluateAsync(expression, Input(), TimeSpan.FromSeconds(timeout), _ => null, default).WaitAsync(TimeSpan.FromSeconds(60));

    private async Task<int> WorkerAsync()
    {
        PythonAvailable.Require(Python);
        var r = await RunAsync("import os\nreturn os.getpid()");
        Assert.Null(r.Error);
        Assert.Equal([(int)r.Value!], Pool.ProcessIds);
        return (int)r.Value!;
    }

    [SkippableFact]
    public async Task A_compiled_expression_is_kept_by_its_worker_and_a_new_worker_starts_without_it()
    {
        var pid = await WorkerAsync();
        // The compiled function keeps its own globals: they count the evaluations of this one compilation.
        const string counter = "g = globals()\ng['runs'] = g.get('runs', 0) + 1\nreturn g['runs']";
        var runs = new List<int>();
        for (var i = 0; i < 3; i++) runs.Add((int)(await RunAsync(counter)).Value!);
        Assert.Equal([1, 2, 3], runs);

        KillFromOutside(pid);
        await WaitUntilAsync(() => Gone(pid), "the worker gone");
        Assert.Equal(1, (int)(await RunAsync(counter)).Value!);
        Assert.NotEqual(pid, await WorkerAsync());
    }

    [SkippableFact]
    public async Task What_an_expression_prints_reads_or_raises_leaves_its_worker_answering()
    {
        var pid = await WorkerAsync();

        Assert.True((await RunAsync("print('policy output ' * 1000)\nreturn True")).Passing);
        // A line that looks like the protocol's answer, written to descriptor 1 behind Python's back: it goes to
        // standard error, not to the server.
        Assert.True((await RunAsync("import os\nos.write(1, b'R{\"passing\": false}\\n')\nreturn True")).Passing);
        Assert.Equal("EOFError: EOF when reading a line", (await RunAsync("return input()")).Error);
        Assert.Equal("SystemExit: 3", (await RunAsync("import sys\nsys.exit(3)")).Error);
        Assert.Equal("KeyboardInterrupt: ", (await RunAsync("raise KeyboardInterrupt")).Error);
        Assert.Contains("null bytes", (await RunAsync("return 1\0")).Error);
        var syntax = await RunAsync("x = 1\nreturn (");
        Assert.Equal("SyntaxError: '(' was never closed", syntax.Error);
        Assert.Equal(2, syntax.Line);

        Assert.Equal(pid, await WorkerAsync());
    }

    [SkippableFact]
    public async Task An_evaluation_waiting_for_a_stuck_worker_runs_on_its_replacement_after_the_timeout()
    {
        var pid = await WorkerAsync();
        var clock = Stopwatch.StartNew();
        var stuck = RunAsync("import time\ntime.sleep(60)", timeout: 1);
        await Task.Delay(100);
        var queued = RunAsync("import os\nreturn os.getpid()");

        Assert.True((await stuck).TimedOut);
        var next = await queued;
        Assert.Null(next.Error);
        Assert.NotEqual(pid, (int)next.Value!);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(Gone(pid));
    }
}
