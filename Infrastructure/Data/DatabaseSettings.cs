using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Data;

public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
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
        return new DatabaseSettings(provider, connectionString);
    }
}
