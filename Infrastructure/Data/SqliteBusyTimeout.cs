using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// Lets SQLite itself wait for a busy database in short steps. Without it, Microsoft.Data.Sqlite retries a locked
/// write by sleeping 150 ms at a time, which under concurrent enrollments turns a 1 ms wait into 150 ms.
/// </summary>
/// <remarks>
/// The pragmas belong to the SQLite connection (the <c>sqlite3</c> handle), which Microsoft.Data.Sqlite pools and
/// reuses across <see cref="SqliteConnection"/> opens: they are set the first time a handle is opened, not on
/// every open (which made every query run a second statement).
/// </remarks>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    // synchronous=NORMAL is the setting SQLite recommends with WAL: commits do not wait for an fsync each, the
    // database stays consistent after a crash, and only the last moments before a power loss can be lost.
    private const string Pragma = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    /// <summary>The handles already set up; an entry goes when its handle is collected (a connection really closed).</summary>
    private static readonly ConditionalWeakTable<object, object> Prepared = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsPrepared(connection)) return;
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
        MarkPrepared(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        if (IsPrepared(connection)) return;
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(ct);
        MarkPrepared(connection);
    }

    private static bool IsPrepared(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && Prepared.TryGetValue(handle, out _);

    private static void MarkPrepared(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle }) Prepared.AddOrUpdate(handle, handle);
    }
}
