using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Data;

/// <summary>Keeps a scope's (a request's) connection open for all its queries, and closes it when the scope ends.</summary>
internal sealed class ScopeConnection : IDisposable, IAsyncDisposable
{
    private DbContext? db;

    public void Open(DbContext context)
    {
        db = context;
        context.Database.OpenConnection();
    }

    public void Dispose() => db?.Database.CloseConnection();

    public async ValueTask DisposeAsync()
    {
        if (db is not null) await db.Database.CloseConnectionAsync();
    }
}
