using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Data;

public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>
    /// PostgreSQL and SQL Server: how often a command or a transaction that failed for a transient reason (connection
    /// lost, server restarting, serialization failure) is tried again before the request gives up (503).
    /// </summary>
    public int MaxRetryCount { get; init; } = 3;

    /// <summary>The longest wait between two tries; the waits grow exponentially from about a second up to this.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    public static DatabaseSettings From(IConfiguration configuration, string dataDirectory)
    {
        var raw = configuration["Database:Provider"] ?? "Sqlite";
        if (!Enum.TryParse<DatabaseProvider>(raw, ignoreCase: true, out var provider))
            throw new InvalidOperationException($"Database:Provider '{raw}' is not one of Sqlite, Postgres, SqlServer.");
        var connectionString = configuration["Database:ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (provider != DatabaseProvider.Sqlite)
                throw new InvalidOperationException($"Database:ConnectionString is required for the {provider} provider.");
            connectionString = $"Data Source={Path.Combine(dataDirectory, "enrollment.db")}";
        }
        var retries = configuration.GetValue("Database:MaxRetryCount", 3);
        if (retries < 0) throw new InvalidOperationException($"Database:MaxRetryCount {retries} must be 0 or more.");
        var delay = configuration.GetValue("Database:MaxRetryDelay", TimeSpan.FromSeconds(2));
        if (delay <= TimeSpan.Zero) throw new InvalidOperationException($"Database:MaxRetryDelay {delay} must be positive.");
        return new DatabaseSettings(provider, connectionString) { MaxRetryCount = retries, MaxRetryDelay = delay };
    }
}
