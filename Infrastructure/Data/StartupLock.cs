using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// One instance at a time through the start-up work on a shared database: migrations, bootstrap and the default
/// blueprints. Instances of a cluster started together (a first start, an upgrade) would otherwise apply the same
/// migration twice ("column already exists") or create the superuser twice; with the lock, the first instance does
/// the work and the others wait, then find nothing left to do. PostgreSQL: a session advisory lock on a fixed key;
/// SQL Server: <c>sp_getapplock</c> owned by the session; SQLite (processes of one machine): an exclusive lock on a
/// file beside the database. A crashed holder's lock goes with its connection or process.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    /// <summary>The same in every instance and every version: the lock must outlive upgrades.</summary>
    public const long PostgresKey = 0x456E726F6C6C6D74; // "Enrollmt"
    public const string SqlServerResource = "Enrollment.Startup";

    private readonly DbConnection? _connection;
    private readonly string? _release;
    private readonly FileStream? _file;

    private StartupLock(DbConnection? connection, string? release, FileStream? file) =>
        (_connection, _release, _file) = (connection, release, file);

    public static async Task<StartupLock> AcquireAsync(IServiceProvider services, ILogger log, CancellationToken ct = default)
    {
        var settings = services.GetRequiredService<DatabaseSettings>();
        using var held = CancellationTokenSource.CreateLinkedTokenSource(ct);
        // Said only when the wait is noticeable, so a second instance's log tells why it has not started yet.
        _ = Task.Delay(TimeSpan.FromSeconds(3), held.Token).ContinueWith(t =>
        {
            if (!t.IsCanceled) log.LogInformation("Waiting for another instance to finish migrating and preparing the database");
        }, TaskScheduler.Default);
        try
        {
            return settings.Provider switch
            {
                DatabaseProvider.Postgres => await PostgresAsync(settings.ConnectionString, ct),
                DatabaseProvider.SqlServer => await SqlServerAsync(settings.ConnectionString, ct),
                _ => await SqliteAsync(settings.ConnectionString, ct),
            };
        }
        finally
        {
            await held.CancelAsync();
        }
    }

    private static async Task<StartupLock> PostgresAsync(string connectionString, CancellationToken ct)
    {
        // Its own physical connection: a pooled one would go back to the pool still holding the lock.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // No database yet: the migration creates it, and PostgreSQL lets only one CREATE DATABASE succeed.
            await connection.DisposeAsync();
            return new StartupLock(null, null, null);
        }
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({PostgresKey})", ct);
        return new StartupLock(connection, $"SELECT pg_advisory_unlock({PostgresKey})", null);
    }

    private static async Task<StartupLock> SqlServerAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqlConnection(new SqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        await ExecuteAsync(connection, $"""
            DECLARE @result int;
            EXEC @result = sp_getapplock @Resource = '{SqlServerResource}', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1;
            IF @result < 0 THROW 50000, 'sp_getapplock refused the start-up lock.', 1;
            """, ct);
        return new StartupLock(connection, $"EXEC sp_releaseapplock @Resource = '{SqlServerResource}', @LockOwner = 'Session'", null);
    }

    private static async Task<StartupLock> SqliteAsync(string connectionString, CancellationToken ct)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(source) || source == ":memory:") return new StartupLock(null, null, null);
        var path = Path.GetFullPath(source) + ".startup.lock";
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Unix, a share lock on Windows: either way one holder.
                return new StartupLock(null, null, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
            }
            catch (IOException)
            {
                await Task.Delay(200, ct);
            }
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0; // wait as long as the holder works: a migration of a large table takes what it takes
        await command.ExecuteNonQueryAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            try
            {
                if (_release is not null) await ExecuteAsync(_connection, _release, CancellationToken.None);
            }
            finally
            {
                await _connection.DisposeAsync(); // closing the session releases the lock in any case
            }
        }
        if (_file is not null) await _file.DisposeAsync();
    }
}
