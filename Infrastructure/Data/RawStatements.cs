using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// One SQL text run as is on the context's connection, in its current transaction if any. For statements EF cannot
/// express (PRAGMAs, DDL read back from <c>sqlite_master</c>); unlike <c>ExecuteSqlRaw</c> the text is never
/// treated as a format string, so braces in it are safe.
/// </summary>
internal static class RawStatements
{
    public static async Task<object?> ExecuteRawAsync(this DatabaseFacade database, string sql, CancellationToken ct)
    {
        await using DbCommand command = database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = database.CurrentTransaction?.GetDbTransaction();
        return await command.ExecuteScalarAsync(ct);
    }
}
