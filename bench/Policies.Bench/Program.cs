// Expression policy benchmark: evaluations per second of the documented policies, run by the app's own
// PythonExpressions and PythonWorkerPool (worker processes of the server binary, JSON lines over their pipes, a
// compile cache per worker, a timeout per evaluation) with many callers in parallel, as concurrent requests of a
// server call them.
//
//   dotnet run -c Release -- [--seconds 5] [--callers 4×cores] [--workers max(2, cores)] [--library /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0]
//
// The input is what PolicyInput builds for a stage binding in the middle of an invitation enrollment: the
// anonymous invitee, the plan context with the invitation (fixed_data), prompt_data and invitation_in_effect, the
// client IP and the HTTP request. Every result is checked, so a broken evaluation cannot pass for a fast one.
using System.Diagnostics;
using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Python;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

var seconds = 5.0;
var callers = 4 * Environment.ProcessorCount;
var workers = PythonSettings.DefaultWorkers;
string? library = null;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : null;
    switch (args[i])
    {
        case "--seconds" when double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0: seconds = s; i++; break;
        case "--callers" when int.TryParse(value, out var c) && c > 0: callers = c; i++; break;
        case "--workers" when int.TryParse(value, out var w) && w > 0: workers = w; i++; break;
        case "--library" when value is not null: library = value; i++; break;
        default:
            Console.Error.WriteLine("usage: Policies.Bench [--seconds 5] [--callers N] [--workers N] [--library PATH]");
            return 2;
    }
}

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Python:Library"] = library }).Build();
var runtime = new PythonRuntime(configuration, NullLogger<PythonRuntime>.Instance);
if (!runtime.IsAvailable)
{
    Console.Error.WriteLine(runtime.Problem);
    return 1;
}
using var pool = new PythonWorkerPool(runtime, new PythonSettings(workers), NullLogger<PythonWorkerPool>.Instance);
var python = new PythonExpressions(runtime, pool);
var clock0 = Stopwatch.StartNew();
await pool.WarmAsync();
Console.WriteLine($"Expression policy bench: Python {runtime.Version} ({runtime.Library}), {Environment.ProcessorCount} cores, {workers} worker processes " +
                  $"(started in {clock0.Elapsed.TotalMilliseconds:F0} ms), {callers} parallel callers, {seconds:0.#} s per policy");
Console.WriteLine($"machine load average (1/5/15 min) at start: {LoadAverage()}");

(string Name, string Expression, bool Expected)[] policies =
[
    ("department (stage binding)", "invitation = context.get('invitation')\nreturn invitation.fixed_data.get('department') == 'Engineering'", true),
    ("invitation in effect", "return context.get('invitation_in_effect', False)", true),
    ("email domain (validation)", "prompt_data = context.get('prompt_data', {})\nreturn prompt_data.get('email', '').endswith('@example.com')", true),
    ("group member + ak_message", "if not ak_is_group_member(request.user, name='staff'):\n    ak_message('Only staff may enroll here.')\n    return False\nreturn True", false),
];

// Warm-up, not measured: each policy for 1 s through the very code that measures, so the JIT has gone through its
// tiers (tier 0, instrumented, optimized) before the first measurement; otherwise the first policy pays for them.
foreach (var (_, expression, expected) in policies) await MeasureAsync(python, pool, expression, expected, callers, TimeSpan.FromSeconds(1));

var failures = 0;
var rates = new Dictionary<string, double>();
var order = Environment.GetEnvironmentVariable("POLICY_BENCH_REVERSE") == "1" ? policies.Reverse() : policies;
foreach (var (name, expression, expected) in order)
{
    var (count, wrong, all, elapsed, cpu, workerCpu) = await MeasureAsync(python, pool, expression, expected, callers, TimeSpan.FromSeconds(seconds));
    var rate = count / elapsed.TotalSeconds;
    failures += (int)wrong;
    rates[name] = rate;
    Console.WriteLine($"{name,-28} {rate,9:N0} evaluations/s  ({count:N0} in {elapsed.TotalSeconds:F1} s; latency with {callers} waiting: p50 {P(all, 50):F2} ms, p99 {P(all, 99):F2} ms; " +
                      $"CPU per evaluation {1000 * (cpu + workerCpu) / count:F1} µs: server {1000 * cpu / count:F1} µs + worker {1000 * workerCpu / count:F1} µs, " +
                      $"so about {count / ((cpu + workerCpu) / 1000):N0}/s per core){(wrong > 0 ? $"  {wrong} WRONG RESULTS" : "")}");
}

var typical = rates[policies[0].Name];
Console.WriteLine();
Console.WriteLine($"target: >= 20,000 evaluations/s of a typical policy (the department snippet): {typical:N0}/s -> {(typical >= 20_000 ? "MET" : "MISSED")}");
Console.WriteLine($"(Each worker runs one evaluation at a time; {workers} workers and the server's side of the pipes share the {Environment.ProcessorCount} cores.)");
Console.WriteLine($"machine load average (1/5/15 min) at end: {LoadAverage()}  ({Environment.ProcessorCount} cores; above {Environment.ProcessorCount} means other processes competed for them)");
return failures == 0 ? 0 : 1;

/// <summary><paramref name="callers"/> tasks evaluating as fast as they can for <paramref name="duration"/>; every result checked.</summary>
static async Task<(long Count, long Wrong, double[] Latencies, TimeSpan Elapsed, double CpuMs, double WorkerCpuMs)> MeasureAsync(
    PythonExpressions python, PythonWorkerPool pool, string expression, bool expected, int callers, TimeSpan duration)
{
    long count = 0, wrong = 0;
    var latencies = new List<double>[callers];
    var pids = pool.ProcessIds;
    var workers0 = WorkersCpu(pids);
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, callers).Select(c => Task.Run(async () =>
    {
        var mine = latencies[c] = new List<double>(100_000);
        var input = Input(c); // each caller its own JSON (a request builds its own)
        while (clock.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            var r = await python.EvaluateAsync(expression, input, TimeSpan.FromSeconds(30), _ => null, default);
            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (r.Error is not null || r.Passing != expected) Interlocked.Increment(ref wrong);
            Interlocked.Increment(ref count);
        }
    })));
    var elapsed = clock.Elapsed;
    var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds;
    if (!pool.ProcessIds.SequenceEqual(pids)) throw new InvalidOperationException("a worker was replaced during the measurement");
    var workerCpu = (WorkersCpu(pids) - workers0).TotalMilliseconds;
    return (count, wrong, latencies.SelectMany(l => l).Order().ToArray(), elapsed, cpu, workerCpu);
}

static TimeSpan WorkersCpu(IEnumerable<int> pids) =>
    pids.Aggregate(TimeSpan.Zero, (sum, pid) => sum + Process.GetProcessById(pid).TotalProcessorTime);

static double P(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

/// <summary>What PolicyInput builds for a stage binding in an enrollment (see Features/FlowExecution/Policies/PolicyInput.cs).</summary>
static JsonObject Input(int n)
{
    var invitation = Guid.NewGuid().ToString();
    return new JsonObject
    {
        ["user"] = new JsonObject { ["username"] = "AnonymousUser", ["is_authenticated"] = false },
        ["context"] = new JsonObject
        {
            ["invitation_in_effect"] = true,
            ["invitation"] = new JsonObject
            {
                ["pk"] = invitation, ["invite_uuid"] = invitation, ["name"] = $"engineering-{n}",
                ["fixed_data"] = new JsonObject { ["department"] = "Engineering", ["email"] = $"invitee{n}@example.com", ["attributes"] = new JsonObject { ["team"] = "platform" } },
                ["expires"] = "2030-01-31T12:00:00.0000000Z", ["single_use"] = true, ["flow"] = "enrollment",
            },
            ["prompt_data"] = new JsonObject
            {
                ["department"] = "Engineering", ["email"] = $"invitee{n}@example.com", ["attributes"] = new JsonObject { ["team"] = "platform" },
                ["username"] = $"invitee{n}", ["name"] = $"Invitee {n}",
            },
        },
        ["client_ip"] = "127.0.0.1",
        ["http_request"] = new JsonObject { ["method"] = "GET", ["path"] = "/if/flow/enrollment/", ["query"] = $"?itoken={invitation}" },
    };
}
