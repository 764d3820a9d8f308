using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Enrollment.Infrastructure.Data;

/// <summary>
/// Tells a failure to reach the database (down, restarting, unreachable, out of connections; SQLite's file gone or
/// locked for too long) from a fault of ours: the first is answered 503 "try again", the second 500.
/// </summary>
public static class DatabaseUnavailable
{
    public const string Message = "The server cannot reach its database at the moment. Please try again in a minute.";

    /// <summary>Seconds a client is asked to wait (<c>Retry-After</c>).</summary>
    public const int RetryAfterSeconds = 30;

    public static bool Is(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case RetryLimitExceededException: // EF tried again, each time for a transient reason
                case NpgsqlException { IsTransient: true }: // connection refused or lost, server shutting down, too many clients
                case SqliteException { SqliteErrorCode: 5 or 6 or 10 or 14 }: // busy, locked, I/O error, cannot open the file
                    return true;
#pragma warning disable EF1001 // SQL Server's list of transient error numbers is EF's own, kept up to date there.
                case SqlException sql when Microsoft.EntityFrameworkCore.SqlServer.Storage.Internal.SqlServerTransientExceptionDetector.ShouldRetryOn(sql):
#pragma warning restore EF1001
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(Is):
                    return true;
            }
        }
        return false;
    }
}
