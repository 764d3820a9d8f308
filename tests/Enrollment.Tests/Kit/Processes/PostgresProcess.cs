using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Enrollment.Tests.Kit.Processes;

/// <summary>
/// A PostgreSQL server of its own (Debian's binaries, a fresh cluster in a temporary folder, a free loopback port),
/// so a test may stop it and start it again without touching the server the other tests use. Run as the
/// <c>postgres</c> user when the tests run as root (PostgreSQL refuses root).
/// </summary>
public sealed class PostgresProcess : IAsyncDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "enrollment-pg-" + Guid.NewGuid().ToString("N"));
    private readonly string _bin;
    private string Data => Path.Combine(_folder, "data");
    private string Log => Path.Combine(_folder, "server.log");
    private static string? User => Tool.IsRoot ? "postgres" : null;

    public int Port { get; } = FreePort();

    /// <summary>The newest <c>/usr/lib/postgresql/N/bin</c> that has <c>initdb</c>, or null.</summary>
    public static string? Binaries =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderBy(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .LastOrDefault()
            : null;

    private PostgresProcess(string bin) => _bin = bin;

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Password=postgres;Database={database}";

    /// <summary>A new cluster (trust authentication on loopback), started.</summary>
    public static async Task<PostgresProcess> StartNewAsync()
    {
        var bin = Binaries ?? throw new InvalidOperationException("PostgreSQL's server binaries are not installed (apt-get install postgresql).");
        var server = new PostgresProcess(bin);
        Directory.CreateDirectory(server._folder);
        if (Tool.IsRoot) Tool.Run("chown", ["postgres:postgres", server._folder]);
        Tool.Run(Path.Combine(bin, "initdb"), ["-D", server.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"], User);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        Tool.Run(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-l", Log, "-w", "-t", "60", "start", "-o",
            $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off"], User);
        for (var i = 0; i < 100; i++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) { await Task.Delay(100); }
        }
        throw new InvalidOperationException("PostgreSQL did not accept connections: " + File.ReadAllText(Log));
    }

    /// <summary>Stops the server at once (fast shutdown: open connections are cut), as a database host going away.</summary>
    public void Stop() => Tool.Run(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "fast", "-w", "stop"], User);

    public async Task CreateDatabaseAsync(string name)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { Tool.Run(Path.Combine(_bin, "pg_ctl"), ["-D", Data, "-m", "immediate", "-w", "stop"], User); }
        catch (InvalidOperationException) { } // already stopped
        try { Directory.Delete(_folder, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        return ValueTask.CompletedTask;
    }
}
