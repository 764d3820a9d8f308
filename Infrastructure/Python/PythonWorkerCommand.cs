using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Python.Runtime;

namespace Enrollment.Infrastructure.Python;

/// <summary>
/// <c>Enrollment --python-worker --library &lt;libpython&gt;</c>: the server binary as one policy worker of
/// <see cref="PythonWorkerPool"/>. It starts the embedded CPython and nothing else — no web host, no configuration
/// files, no database, no migrations — and evaluates expressions sent as JSON lines on standard input until standard
/// input closes (the server stopped or let it go), then exits. If the server dies while an expression is stuck in C
/// code, where the worker cannot read standard input, a watchdog notices that its parent is gone and kills it.
/// </summary>
public static class PythonWorkerCommand
{
    public const string Verb = "--python-worker";
    public const int Ok = 0, NoPython = 3, Usage = 2;

    public static bool IsWorker(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <summary>Runs the worker; returns its exit code.</summary>
    public static int Run(string[] args)
    {
        // Standard output belongs to the protocol: anything .NET would print goes to standard error instead.
        var protocol = Console.OpenStandardOutput();
        Console.SetOut(Console.Error);
        var library = args.SkipWhile(a => a != "--library").Skip(1).FirstOrDefault();
        if (library is null)
        {
            Console.Error.WriteLine($"usage: Enrollment {Verb} --library <path of libpython3.x>");
            return Usage;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Python:Library"] = library }).Build();
        var runtime = new PythonRuntime(configuration, NullLogger<PythonRuntime>.Instance);
        if (!runtime.IsAvailable)
        {
            protocol.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { problem = runtime.Problem }) + "\n"));
            protocol.Flush();
            return NoPython;
        }

        WatchParent();
        using (Py.GIL()) runtime.Module.InvokeMethod("serve").Dispose();
        // Standard input closed: leave at once. A regular exit would shut the interpreter down first, which buys
        // nothing for a process that keeps no state and can hang on interpreter finalisation.
        Exit(Ok);
        return Ok;
    }

    /// <summary>
    /// Polls the parent's process id: when the server dies, the worker is handed to another parent (init or a
    /// subreaper), and a worker stuck in C code would otherwise keep a core busy with no one to answer.
    /// </summary>
    private static void WatchParent()
    {
        if (OperatingSystem.IsWindows()) return;
        var parent = getppid();
        var watchdog = new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(500);
                if (getppid() != parent) Exit(Ok);
            }
        }) { IsBackground = true, Name = "parent watchdog" };
        watchdog.Start();
    }

    private static void Exit(int code)
    {
        if (OperatingSystem.IsWindows()) Environment.Exit(code);
        _exit(code);
    }

    [DllImport("libc", SetLastError = false)]
    private static extern int getppid();

    [DllImport("libc", SetLastError = false)]
    private static extern void _exit(int status);
}
