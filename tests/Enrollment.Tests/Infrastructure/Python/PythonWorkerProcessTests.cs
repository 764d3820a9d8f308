using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Infrastructure.Python.WorkerProcesses;

namespace Enrollment.Tests.Infrastructure.Python;

/// <summary>
/// The server binary in worker mode (<c>Enrollment.dll --python-worker --library …</c>), started by the test itself:
/// it speaks JSON lines, starts no web host and touches no data directory or database, exits when its input closes,
/// and dies with its server even when an expression holds it in C code.
/// </summary>
public sealed class PythonWorkerProcessTests : IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "enrollment-worker-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Dll => Path.Combine(AppContext.BaseDirectory, "Enrollment.dll");

    private ProcessStartInfo Start(string file, IEnumerable<string> args, string library, int port)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _folder };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var a in new[] { "--python-worker", "--library", library }) start.ArgumentList.Add(a);
        // What a server started here would use: its data directory, a port, a database, a bootstrap account.
        start.Environment["DataDirectory"] = Path.Combine(_folder, "data");
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ENROLLMENT_BOOTSTRAP_PASSWORD"] = "Worker-Tulip-Glacier-58!";
        return start;
    }

    private static async Task<string> LineAsync(Process process) =>
        await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) ?? throw new Xunit.Sdk.XunitException("the worker closed its output");

    [SkippableFact]
    public async Task Worker_mode_evaluates_without_starting_the_server_and_exits_when_its_input_closes()
    {
        var library = PythonAvailable.Library();
        var port = LoopbackSmtpServer.FreePort();
        using var worker = Process.Start(Start("dotnet", [Dll], library, port))!;
        var errors = worker.StandardError.ReadToEndAsync();

        Assert.NotNull(JsonNode.Parse(await LineAsync(worker))!["ready"]);
        await worker.StandardInput.WriteLineAsync("""{"expression": "return context['n'] + 1", "data": {"context": {"n": 41}}}""");
        await worker.StandardInput.FlushAsync();
        var answer = await LineAsync(worker);
        Assert.StartsWith("R", answer);
        Assert.Equal(42, (int)JsonNode.Parse(answer[1..])!["value"]!);

        using (var probe = new TcpClient())
            await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync(IPAddress.Loopback, port));

        worker.StandardInput.Close();
        Assert.True(worker.WaitForExit(10_000), "the worker did not exit when its input closed");
        Assert.Equal(0, worker.ExitCode);
        Assert.Equal("", (await errors).Trim());
        Assert.False(Directory.Exists(Path.Combine(_folder, "data")), "the worker created a data directory");
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }

    [SkippableFact]
    public async Task A_worker_stuck_in_C_code_dies_with_its_server()
    {
        var library = PythonAvailable.Library();
        // bash stands in for the server: the worker's parent, killed with SIGKILL while the worker sleeps in C. The
        // test keeps the worker's input open, so only its watch on its parent can end it.
        using var parent = Process.Start(Start("bash", ["-c", "exec 3<&0; \"$@\" <&3 & echo \"$!\"; wait", "server", "dotnet", Dll], library, LoopbackSmtpServer.FreePort()))!;
        var pid = int.Parse(await LineAsync(parent));
        Assert.NotNull(JsonNode.Parse(await LineAsync(parent))!["ready"]);
        await parent.StandardInput.WriteLineAsync("""{"expression": "import time\ntime.sleep(120)", "data": {}}""");
        await parent.StandardInput.FlushAsync();
        await Task.Delay(300);
        Assert.False(Gone(pid));

        parent.Kill();
        await WaitUntilAsync(() => Gone(pid), $"worker {pid} gone after its parent died", seconds: 10);
    }

    [Fact]
    public async Task Worker_mode_without_Python_says_why_and_exits()
    {
        using var worker = Process.Start(Start("dotnet", [Dll], "/nonexistent/libpython3.11.so", LoopbackSmtpServer.FreePort()))!;
        var first = JsonNode.Parse(await LineAsync(worker))!;
        Assert.Equal("Python runtime not available: /nonexistent/libpython3.11.so does not exist", (string?)first["problem"]);
        Assert.True(worker.WaitForExit(10_000));
        Assert.Equal(3, worker.ExitCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_folder));
    }
}
