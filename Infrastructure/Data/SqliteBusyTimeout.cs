using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// Lets SQLite itself wait for a busy database in short steps. Without it, Microsoft.Data.Sqlite retries a locked
/// write by sleeping 150 ms at a time, which under concurrent enrollments turns a 1 ms wait into 150 ms.
/// </summary>
internal sealed class SqliteBusyTimeout : DbConnectionInterceptor
{
    // synchronous=NORMAL is the setting SQLite recommends with WAL: commits no longer wait for an fsync each, the
    // database stays consistent after a crash, and only the last moments before a power loss can be lost.
    private const string Pragma = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken ct = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(ct);
    }
}
