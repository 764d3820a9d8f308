using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Infrastructure.Python.WorkerProcesses;

namespace Enrollment.Tests.Infrastructure.Python;

/// <summary><c>Python:Workers</c>: the number of worker processes, checked at start; the server's shutdown takes its workers along.</summary>
public sealed class PythonWorkersSettingTests
{
    private sealed class App(string? workers) : EnrollmentApp(new HostConfiguration
    {
        Settings = _ => new Dictionary<string, string?> { ["Python:Workers"] = workers },
    });

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("two")]
    [InlineData("1000")]
    public async Task A_worker_count_the_server_cannot_use_stops_the_start_with_its_name(string workers)
    {
        await using var app = new App(workers);
        var e = Assert.ThrowsAny<Exception>(() => app.Services);
        Assert.Contains($"Python:Workers must be a whole number from 1 to 256, not '{workers}'.", e.ToString());
    }

    [Fact]
    public async Task Without_the_setting_there_are_as_many_workers_as_cores_and_at_least_two()
    {
        await using var app = new App(null);
        Assert.Equal(Math.Max(2, Environment.ProcessorCount), app.Services.GetRequiredService<PythonWorkerPool>().Size);
    }

    [SkippableFact]
    public async Task Three_workers_run_when_three_are_configured_and_stop_with_the_server()
    {
        var app = new App("3");
        IReadOnlyList<int> pids;
        try
        {
            PythonAvailable.Require(app);
            var pool = app.Services.GetRequiredService<PythonWorkerPool>();
            await pool.WarmAsync().WaitAsync(TimeSpan.FromSeconds(60));
            pids = pool.ProcessIds;
            Assert.Equal(3, pids.Distinct().Count());
            Assert.DoesNotContain(pids, Gone);
        }
        finally
        {
            await app.DisposeAsync();
        }
        await WaitUntilAsync(() => pids.All(Gone), "every worker gone after the server stopped", seconds: 10);
    }
}
