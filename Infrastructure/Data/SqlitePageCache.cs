using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// A larger SQLite page cache on the current connection for one bulk statement, then the connection's own size back
/// (connections are pooled, so the setting must not outlive the work). A set-based delete of a million rows touches
/// index pages all over the file (the primary key is a random UUID); with SQLite's default 2 MB cache every touch
/// reads the page again and spills dirty pages to the WAL mid-transaction. The cache only grows as pages are used,
/// and shrinking it afterwards frees them (to the allocator). A no-op on other engines.
/// </summary>
public static class SqlitePageCache
{
    /// <summary>Enough for the indexes of a million invitations.</summary>
    public const int BulkMegabytes = 128;

    /// <summary>
    /// Opens the connection and enlarges its cache; disposing restores the size and closes the connection. Call it
    /// before beginning the transaction: a transaction that finds the connection open leaves it open at its commit,
    /// so the cache is given back after the commit (dirty pages are only freed once written).
    /// </summary>
    public static async Task<IAsyncDisposable> EnlargeForBulkWorkAsync(this DatabaseFacade database, CancellationToken ct, int megabytes = BulkMegabytes)
    {
        if (!database.IsSqlite()) return Nothing.Instance;
        await database.OpenConnectionAsync(ct);
        try
        {
            var previous = Convert.ToInt64(await database.ExecuteRawAsync("PRAGMA cache_size;", ct), CultureInfo.InvariantCulture);
            // A negative size is in KiB.
            await database.ExecuteRawAsync($"PRAGMA cache_size = {-megabytes * 1024L};", ct);
            return new Restore(database, previous);
        }
        catch
        {
            await database.CloseConnectionAsync();
            throw;
        }
    }

    private sealed class Restore(DatabaseFacade database, long previous) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await database.ExecuteRawAsync($"PRAGMA cache_size = {previous.ToString(CultureInfo.InvariantCulture)};", CancellationToken.None);
            }
            finally
            {
                await database.CloseConnectionAsync();
            }
        }
    }

    private sealed class Nothing : IAsyncDisposable
    {
        public static readonly Nothing Instance = new();
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
