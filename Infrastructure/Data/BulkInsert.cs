using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// Inserts many new rows of one entity type with multi-row <c>INSERT … VALUES (…), (…)</c> statements, in the
/// transaction the context has open. Tables, columns, value converters (JSON documents, enum wire names, UTC
/// timestamps) and parameter types all come from the EF model, so the rows read back exactly as if SaveChanges had
/// written them — at a tenth of its cost for thousands of rows, because nothing is tracked and no statement is built
/// per row. The entities are not tracked afterwards. For plain entity types only: no inheritance, no shadow
/// properties, every value set by the application (no store-generated keys).
/// </summary>
public static class BulkInsert
{
    /// <summary>Parameters per statement: below SQL Server's 2,100 and far below SQLite's and PostgreSQL's limits.</summary>
    private const int MaxParameters = 2000;

    /// <summary>SQL Server takes at most 1,000 rows in one VALUES list.</summary>
    private const int MaxRowsPerStatement = 1000;

    public static async Task InsertAsync<T>(this AppDbContext db, IReadOnlyList<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        var transaction = db.Database.CurrentTransaction?.GetDbTransaction()
                          ?? throw new InvalidOperationException("Bulk inserts run inside a transaction: call BeginTransactionAsync first.");
        var entityType = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        if (entityType.BaseType is not null || entityType.GetDirectlyDerivedTypes().Any())
            throw new NotSupportedException($"{typeof(T).Name} takes part in inheritance; insert it with SaveChanges.");
        var table = entityType.GetTableName()!;
        var store = StoreObjectIdentifier.Table(table, entityType.GetSchema());
        var columns = entityType.GetProperties()
            .Select(p => (Property: p, Column: p.GetColumnName(store)))
            .Where(c => c.Column is not null)
            .ToList();
        if (columns.Any(c => c.Property.IsShadowProperty()))
            throw new NotSupportedException($"{typeof(T).Name} has shadow properties; insert it with SaveChanges.");
        var getters = columns.Select(c => c.Property.GetGetter()).ToList();
        var mappings = columns.Select(c => c.Property.GetRelationalTypeMapping()).ToList();

        var sql = db.GetService<ISqlGenerationHelper>();
        var head = $"INSERT INTO {sql.DelimitIdentifier(table, entityType.GetSchema())} ({string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column!)))}) VALUES ";
        // SQLite has no round trips to save but binds parameters by name in linear time, so one prepared single-row
        // statement is fastest there; the server engines get as many rows per statement as the parameters allow.
        var perStatement = db.Database.IsSqlite() ? 1 : Math.Clamp(MaxParameters / columns.Count, 1, MaxRowsPerStatement);
        var connection = transaction.Connection!;
        var timeout = db.Database.GetCommandTimeout();

        DbCommand? command = null;
        try
        {
            foreach (var chunk in rows.Chunk(perStatement))
            {
                // Every full chunk has the same text, so one command (prepared once, where the engine caches) serves them all.
                if (command is null || command.Parameters.Count != chunk.Length * columns.Count)
                {
                    if (command is not null) await command.DisposeAsync();
                    command = connection.CreateCommand();
                    command.Transaction = transaction;
                    if (timeout is { } t) command.CommandTimeout = t;
                    command.CommandText = Statement(head, chunk.Length, columns.Count, sql);
                }
                command.Parameters.Clear();
                var n = 0;
                foreach (var row in chunk)
                    for (var c = 0; c < columns.Count; c++)
                        // The type mapping applies the property's converter and the provider's parameter type.
                        command.Parameters.Add(mappings[c].CreateParameter(command, sql.GenerateParameterName("p" + n++), getters[c].GetClrValue(row), columns[c].Property.IsNullable));
                await command.ExecuteNonQueryAsync(ct);
            }
        }
        finally
        {
            if (command is not null) await command.DisposeAsync();
        }
    }

    private static string Statement(string head, int rows, int columns, ISqlGenerationHelper sql)
    {
        var text = new StringBuilder(head, head.Length + rows * columns * 8);
        var n = 0;
        for (var r = 0; r < rows; r++)
        {
            text.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                if (c > 0) text.Append(", ");
                text.Append(sql.GenerateParameterNamePlaceholder("p" + n++));
            }
            text.Append(')');
        }
        return text.ToString();
    }
}
