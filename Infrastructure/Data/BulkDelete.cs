using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// Set-based deletes that may take most of a table. SQLite keeps each secondary index up to date row by row, and a
/// large backlog lies all over an index (invitations expire in another order than they were created): deleting
/// 1,000,000 of 1,011,000 invitations took ~10 s with the indexes and ~5.7 s dropping them first and building them
/// again on the rows left (<c>bench/expiry.sh</c>). Other engines delete as usual.
/// </summary>
public static class BulkDelete
{
    /// <summary>Below this many rows the plain delete is cheap whatever the layout.</summary>
    public const int MinRowsForRebuild = 10_000;

    /// <summary>
    /// Deletes <paramref name="rows"/> (a filter on <typeparamref name="T"/>'s table). On SQLite, when they are at least
    /// <see cref="MinRowsForRebuild"/> and at least half the table, the table's own secondary indexes are dropped
    /// before and created again from their stored definitions after. Needs the caller's transaction, so that a
    /// failure anywhere leaves the table and its indexes as they were.
    /// </summary>
    public static async Task<int> DeleteMostlyAsync<T>(this DbContext db, IQueryable<T> rows, CancellationToken ct) where T : class
    {
        if (!db.Database.IsSqlite() || db.Database.CurrentTransaction is null) return await rows.ExecuteDeleteAsync(ct);
        var due = await rows.CountAsync(ct);
        if (due < MinRowsForRebuild || due * 2L < await db.Set<T>().CountAsync(ct)) return await rows.ExecuteDeleteAsync(ct);

        var table = db.Model.FindEntityType(typeof(T))!.GetTableName()!;
        var indexes = await db.Database.SqlQuery<IndexDefinition>(
            $"SELECT name AS Name, sql AS Sql FROM sqlite_master WHERE type = 'index' AND tbl_name = {table} AND sql IS NOT NULL").ToListAsync(ct);
        foreach (var index in indexes) await db.Database.ExecuteRawAsync($"DROP INDEX \"{index.Name.Replace("\"", "\"\"")}\"", ct);
        var deleted = await rows.ExecuteDeleteAsync(ct);
        foreach (var index in indexes) await db.Database.ExecuteRawAsync(index.Sql, ct);
        return deleted;
    }

    private sealed class IndexDefinition
    {
        public required string Name { get; init; }
        public required string Sql { get; init; }
    }
}
