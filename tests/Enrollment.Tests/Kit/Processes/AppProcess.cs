using System.Diagnostics;
using System.Net;
using System.Text;

namespace Enrollment.Tests.Kit.Processes;

/// <summary>
/// One server process on a loopback port and a data directory of its own, started from a compiled
/// <c>Enrollment.dll</c> with settings in its environment; <see cref="Kill"/> is SIGKILL, and <see cref="StartAsync()"/>
/// brings it back on the same port and data directory.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    public int Port { get; }
    public string DataDirectory { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public int? Pid => _process is { HasExited: false } p ? p.Id : null;

    /// <param name="environment">Configuration as environment variables (<c>Database__Provider</c>, …).</param>
    public AppProcess(string dll, int port, string dataDirectory, IReadOnlyDictionary<string, string> environment)
    {
        (_dll, Port, DataDirectory, _environment) = (dll, port, dataDirectory, environment);
    }

    /// <summary>Starts the process and waits until it serves the sign-in page (at most two minutes).</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet", [_dll, "--urls", $"http://127.0.0.1:{Port}", "--DataDirectory", DataDirectory])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(_dll)!,
        };
        foreach (var (key, value) in _environment) start.Environment[key] = value;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync("/if/login/")).StatusCode == HttpStatusCode.OK) return;
            }
            // Not listening yet, or the first request still compiling on a loaded machine: try again.
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(250);
        }
        Kill();
        throw new Xunit.Sdk.XunitException($"The server on port {Port} did not start: {Output}");
    }

    /// <summary>Everything the process wrote so far.</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>SIGKILL on Linux: no shutdown, no finally blocks, no flushing; what the kernel does for a crash.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        try { Directory.Delete(DataDirectory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
