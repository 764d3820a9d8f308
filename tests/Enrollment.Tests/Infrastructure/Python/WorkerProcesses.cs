using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Enrollment.Tests.Infrastructure.Python;

/// <summary>What the worker-pool tests ask of processes and evaluations.</summary>
internal static class WorkerProcesses
{
    /// <summary>The process has ended (or is a zombie nobody has reaped yet: it runs no code any more).</summary>
    public static bool Gone(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (File.Exists(stat))
        {
            try
            {
                var text = File.ReadAllText(stat);
                return text[(text.LastIndexOf(')') + 2)..].StartsWith('Z');
            }
            catch (IOException)
            {
                return true; // vanished while reading
            }
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    /// <summary>SIGKILL from outside, as an operator or the kernel's out-of-memory killer would.</summary>
    public static void KillFromOutside(int pid)
    {
        using var process = Process.GetProcessById(pid);
        process.Kill();
    }

    public static async Task WaitUntilAsync(Func<bool> condition, string what, double seconds = 30)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(seconds), $"not within {seconds} s: {what}");
            await Task.Delay(50);
        }
    }

    public static JsonObject Input(JsonObject? context = null) => new()
    {
        ["user"] = new JsonObject { ["username"] = "AnonymousUser", ["is_authenticated"] = false },
        ["context"] = context ?? [],
        ["client_ip"] = "192.0.2.10",
    };
}
