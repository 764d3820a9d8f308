using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enrollment.Infrastructure.Python;

/// <summary>
/// One policy worker process, as the server sees it: started in worker mode (<see cref="PythonWorkerCommand"/>), asked
/// one evaluation at a time over its standard input and output, killed with SIGKILL when an evaluation outlives its
/// timeout. Not thread-safe: its <see cref="PythonWorkerPool"/> slot hands it to one evaluation at a time.
/// </summary>
internal sealed class PythonWorker : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;
    private readonly Stream _input;
    private readonly StreamReader _output;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;
    private readonly Timer _timer;
    private long _evaluations, _watched, _timedOut;
    private int _killed;

    public int ProcessId { get; }
    /// <summary>When it answered "ready".</summary>
    public DateTime ReadyAt { get; private set; }

    public bool HasExited
    {
        get
        {
            try
            {
                return Volatile.Read(ref _killed) == 1 || _process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true; // disposed
            }
        }
    }

    private PythonWorker(Process process)
    {
        _process = process;
        ProcessId = process.Id;
        _input = process.StandardInput.BaseStream;
        _output = process.StandardOutput;
        _json = new Utf8JsonWriter(_buffer);
        _timer = new Timer(static w => ((PythonWorker)w!).Overdue(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Starts a worker and waits for its "ready" line; throws with the reason when it cannot start.</summary>
    public static async Task<PythonWorker> StartAsync(string library, Action<PythonWorker>? exited = null)
    {
        var (file, args) = Command();
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false, // what expressions print reaches the server's own standard error
            StandardOutputEncoding = new UTF8Encoding(false),
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.ArgumentList.Add(PythonWorkerCommand.Verb);
        start.ArgumentList.Add("--library");
        start.ArgumentList.Add(library);
        // A worker holds a few objects at a time: the workstation collector keeps it small (server GC sizes heaps per core).
        start.Environment["DOTNET_gcServer"] = "0";
        start.Environment["DOTNET_GCgen0size"] = "0x400000";

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start");
        var worker = new PythonWorker(process);
        try
        {
            var first = await worker._output.ReadLineAsync().WaitAsync(StartTimeout);
            if (first is null)
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
                throw new InvalidOperationException($"the worker exited with code {process.ExitCode} before it was ready");
            }
            var hello = JsonNode.Parse(first) as JsonObject;
            if (hello?["ready"] is null) throw new InvalidOperationException((string?)hello?["problem"] ?? $"unexpected first line from the worker: {first}");
            worker.ReadyAt = DateTime.UtcNow;
        }
        catch (Exception e)
        {
            worker.Kill();
            worker.Dispose();
            throw e is TimeoutException ? new TimeoutException($"the worker was not ready within {StartTimeout.TotalSeconds:0} s") : e;
        }
        if (exited is not null)
        {
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => exited(worker);
        }
        return worker;
    }

    /// <summary>
    /// The worker command: this very binary in worker mode. Through the <c>dotnet</c> host when the server runs on it
    /// (<c>dotnet Enrollment.dll</c>, test hosts, benchmarks), else through the apphost beside the assembly, else the
    /// single-file executable itself.
    /// </summary>
    public static (string File, string[] Args) Command()
    {
        var assembly = typeof(PythonWorker).Assembly.Location;
        var self = Environment.ProcessPath;
        if (string.IsNullOrEmpty(assembly)) return (self ?? throw new InvalidOperationException("cannot find the server's executable"), []);
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return (self, [assembly]);
        var apphost = Path.Combine(Path.GetDirectoryName(assembly)!, Path.GetFileNameWithoutExtension(assembly) + (OperatingSystem.IsWindows() ? ".exe" : ""));
        if (File.Exists(apphost)) return (apphost, []);
        return (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [assembly]);
    }

    /// <summary>
    /// Sends one evaluation and waits for its answer, answering the worker's <c>ak_user_by</c> questions with
    /// <paramref name="lookupUser"/> meanwhile. Past <paramref name="timeout"/> the worker's own timer kills it, which
    /// ends the read.
    /// </summary>
    public async Task<WorkerAnswer> EvaluateAsync(string expression, JsonObject input, TimeSpan timeout, Func<string, string?> lookupUser)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("expression", expression);
        _json.WritePropertyName("data");
        input.WriteTo(_json);
        _json.WriteEndObject();
        _json.Flush();
        _buffer.Write("\n"u8);
        try
        {
            // Synchronous: a few hundred bytes into an empty pipe; the worker reads at once whatever the length.
            _input.Write(_buffer.WrittenSpan);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            return WorkerAnswer.NotSent; // it was gone before the expression started: another worker may take it
        }

        var evaluation = Interlocked.Increment(ref _evaluations);
        Volatile.Write(ref _watched, evaluation);
        _timer.Change(timeout, Timeout.InfiniteTimeSpan);
        try
        {
            while (true)
            {
                string? line;
                try
                {
                    line = await _output.ReadLineAsync();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    line = null;
                }
                if (line is null || Volatile.Read(ref _watched) != evaluation)
                {
                    if (Volatile.Read(ref _timedOut) == evaluation) return WorkerAnswer.TimedOut;
                    Kill();
                    return WorkerAnswer.Died(ExitCode());
                }
                switch (line.Length > 0 ? line[0] : ' ')
                {
                    case 'T': return WorkerAnswer.Plain(true);
                    case 'F': return WorkerAnswer.Plain(false);
                    case 'R': return WorkerAnswer.Of(ExpressionResult.FromJson(line[1..]));
                    case 'L':
                        AnswerLookup(line[1..], lookupUser);
                        continue;
                    default:
                        Kill(); // not the protocol: something wrote to the descriptor it runs on
                        return WorkerAnswer.Died(ExitCode(), $"unexpected output: {(line.Length > 200 ? line[..200] + "…" : line)}");
                }
            }
        }
        finally
        {
            Interlocked.CompareExchange(ref _watched, 0, evaluation);
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The timer of the evaluation running now: past its timeout the worker is killed, and its read ends.</summary>
    private void Overdue()
    {
        var evaluation = Volatile.Read(ref _watched);
        if (evaluation == 0 || Interlocked.CompareExchange(ref _watched, 0, evaluation) != evaluation) return;
        Volatile.Write(ref _timedOut, evaluation);
        Kill();
    }

    private void AnswerLookup(string filters, Func<string, string?> lookupUser)
    {
        string reply;
        try
        {
            reply = lookupUser(filters) is { } user ? "U" + user : "N";
        }
        catch (Exception e)
        {
            // Raised in the expression as an exception of this type, as ak_user_by's errors always read.
            reply = "E" + JsonSerializer.Serialize(new { type = e.GetType().Name, message = e.Message });
        }
        try
        {
            _input.Write(Encoding.UTF8.GetBytes(reply.ReplaceLineEndings(" ") + "\n"));
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Gone meanwhile: the read that follows sees the end of its output.
        }
    }

    private int? ExitCode()
    {
        try
        {
            return _process.WaitForExit(2000) ? _process.ExitCode : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: a worker stuck in C code (a sleep, a regular expression) answers no gentler signal.</summary>
    public void Kill()
    {
        if (Interlocked.Exchange(ref _killed, 1) == 1) return;
        try
        {
            _process.Kill(entireProcessTree: false);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        _json.Dispose();
        try
        {
            _input.Dispose(); // a live worker reads the end of its input and exits
        }
        catch (IOException)
        {
        }
        _process.Dispose();
    }
}
