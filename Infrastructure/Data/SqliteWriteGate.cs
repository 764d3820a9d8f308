using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// Lets this process's writers to one SQLite file queue in memory instead of colliding in SQLite. SQLite has one
/// writer at a time; a writer that finds the file locked waits in SQLite's busy handler, which blocks a thread and
/// sleeps 1, 2, 5, 10, … ms between tries, however soon the lock is free. Behind this gate a writer awaits (no
/// thread blocked) and goes the moment the previous one commits. Another process sharing the file still meets
/// SQLite's lock and its busy timeout: the gate only orders this process's own writers.
/// </summary>
/// <remarks>
/// A writer holds the gate from the start of its transaction to its commit or rollback, or, for a statement outside
/// a transaction (SQLite commits it on its own), from the statement's start until its reader is closed. Should a
/// transaction end unseen (disposed without commit or rollback, a failed BEGIN or COMMIT), the gate is given back at
/// the connection's next command or its close at the latest; and a writer never waits for it longer than
/// <see cref="MaxWait"/>, after which it goes to SQLite's own locking as it would without the gate.
/// </remarks>
internal sealed class SqliteWriteGate : IDbCommandInterceptor, IDbTransactionInterceptor, IDbConnectionInterceptor
{
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);

    private static readonly ConcurrentDictionary<string, Gate> Gates = new(StringComparer.Ordinal);

    private readonly Gate gate;

    /// <summary>One gate per database file, shared by every context of this process that opens it.</summary>
    public SqliteWriteGate(string connectionString)
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        var key = file is "" or ":memory:" ? Guid.NewGuid().ToString() : Path.GetFullPath(file);
        gate = Gates.GetOrAdd(key, _ => new Gate());
    }

    /// <summary>The semaphore and who holds it: a connection, for a transaction or for one statement.</summary>
    private sealed class Gate
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public DbConnection? Holder;
        public bool ForStatement;
        public DbTransaction? Transaction;
    }

    // ---- transactions: the gate from BEGIN to COMMIT/ROLLBACK ----

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        Enter(connection, forStatement: false);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken ct = default)
    {
        await EnterAsync(connection, forStatement: false, ct);
        return result;
    }

    public DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        if (ReferenceEquals(gate.Holder, connection)) gate.Transaction = result;
        return result;
    }

    public ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken ct = default)
    {
        if (ReferenceEquals(gate.Holder, connection)) gate.Transaction = result;
        return ValueTask.FromResult(result);
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => LeaveTransaction(transaction);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        LeaveTransaction(transaction);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => LeaveTransaction(transaction);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken ct = default)
    {
        LeaveTransaction(transaction);
        return Task.CompletedTask;
    }

    // ---- statements outside a transaction: the gate while a write statement runs ----

    public InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        BeforeCommand(command);
        return result;
    }

    public async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken ct = default)
    {
        await BeforeCommandAsync(command, ct);
        return result;
    }

    public InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        BeforeCommand(command);
        return result;
    }

    public async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken ct = default)
    {
        await BeforeCommandAsync(command, ct);
        return result;
    }

    public InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        BeforeCommand(command);
        return result;
    }

    public async ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken ct = default)
    {
        await BeforeCommandAsync(command, ct);
        return result;
    }

    // A statement outside a transaction commits when it finishes: for a reader (INSERT … RETURNING), once it is closed.
    public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        LeaveStatement(command.Connection);
        return result;
    }

    public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken ct = default)
    {
        LeaveStatement(command.Connection);
        return ValueTask.FromResult(result);
    }

    public object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        LeaveStatement(command.Connection);
        return result;
    }

    public ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken ct = default)
    {
        LeaveStatement(command.Connection);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        LeaveStatement(command.Connection);
        return result;
    }

    public ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result)
    {
        LeaveStatement(command.Connection);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        LeaveStatement(command.Connection);
        return result;
    }

    public void CommandFailed(DbCommand command, CommandErrorEventData eventData) => LeaveStatement(command.Connection);

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken ct = default)
    {
        LeaveStatement(command.Connection);
        return Task.CompletedTask;
    }

    public void CommandCanceled(DbCommand command, CommandEndEventData eventData) => LeaveStatement(command.Connection);

    public Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken ct = default)
    {
        LeaveStatement(command.Connection);
        return Task.CompletedTask;
    }

    // ---- a connection that closes or goes away never keeps the gate ----

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection);
        return ValueTask.FromResult(result);
    }

    public InterceptionResult ConnectionDisposing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionDisposingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Leave(connection);
        return ValueTask.FromResult(result);
    }

    // ---- the gate ----

    private void BeforeCommand(DbCommand command)
    {
        if (Settle(command) is { } connection) Enter(connection, forStatement: true);
    }

    private Task BeforeCommandAsync(DbCommand command, CancellationToken ct) =>
        Settle(command) is { } connection ? EnterAsync(connection, forStatement: true, ct) : Task.CompletedTask;

    /// <summary>The connection, when this command is a write outside a transaction that needs the gate.</summary>
    private DbConnection? Settle(DbCommand command)
    {
        if (command.Connection is not { } connection) return null;
        if (command.Transaction is not null) return null; // inside a transaction, which holds the gate already
        // This connection's transaction ended without a commit or rollback we saw (disposed): give the gate back.
        if (ReferenceEquals(gate.Holder, connection) && !gate.ForStatement) Leave(connection);
        return IsWrite(command.CommandText) && !ReferenceEquals(gate.Holder, connection) ? connection : null;
    }

    private void Enter(DbConnection connection, bool forStatement)
    {
        if (ReferenceEquals(gate.Holder, connection)) return;
        if (!gate.Semaphore.Wait(MaxWait)) return; // go to SQLite's own locking, as without the gate
        Hold(connection, forStatement);
    }

    private async Task EnterAsync(DbConnection connection, bool forStatement, CancellationToken ct)
    {
        if (ReferenceEquals(gate.Holder, connection)) return;
        if (!await gate.Semaphore.WaitAsync(MaxWait, ct)) return;
        Hold(connection, forStatement);
    }

    private void Hold(DbConnection connection, bool forStatement)
    {
        gate.Holder = connection;
        gate.ForStatement = forStatement;
    }

    private void LeaveStatement(DbConnection? connection)
    {
        if (gate.ForStatement && ReferenceEquals(gate.Holder, connection)) Leave(connection);
    }

    private void LeaveTransaction(DbTransaction transaction)
    {
        if (gate.Holder is { } connection && gate.Transaction is { } held && ReferenceEquals(held, transaction)) Leave(connection);
    }

    private void Leave(DbConnection? connection)
    {
        if (connection is null || !ReferenceEquals(gate.Holder, connection)) return;
        gate.Holder = null;
        gate.ForStatement = false;
        gate.Transaction = null;
        gate.Semaphore.Release();
    }

    /// <summary>INSERT, UPDATE, DELETE, REPLACE (and a WITH in front of one): what takes SQLite's write lock by itself.</summary>
    private static bool IsWrite(string sql)
    {
        var text = sql.AsSpan().TrimStart();
        return text.StartsWith("INSERT", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("UPDATE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("DELETE", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("REPLACE", StringComparison.OrdinalIgnoreCase)
            || (text.StartsWith("WITH", StringComparison.OrdinalIgnoreCase) && ContainsWrite(text));
    }

    private static bool ContainsWrite(ReadOnlySpan<char> text) =>
        text.Contains("INSERT", StringComparison.OrdinalIgnoreCase) || text.Contains("UPDATE", StringComparison.OrdinalIgnoreCase)
        || text.Contains("DELETE", StringComparison.OrdinalIgnoreCase);
}
