using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Data;

public static class DatabaseExtensions
{
    public static IServiceCollection AddEnrollmentDatabase(this IServiceCollection services, DatabaseSettings settings)
    {
        services.AddSingleton(settings);
        // Pooled contexts: a request rents one instead of building EF's internal services for it anew.
        switch (settings.Provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContextPool<SqliteAppDbContext>(o => ConfigureSqlite(o, settings.ConnectionString));
                // EF opens and closes the connection around every query; on SQLite each open is a pool round trip
                // that also registers EF's SQL functions again. A request keeps one connection open instead (it
                // holds no lock while no statement runs), closed when the request ends.
                services.AddScoped<ScopeConnection>();
                services.AddScoped<AppDbContext>(sp =>
                {
                    var db = sp.GetRequiredService<SqliteAppDbContext>();
                    sp.GetRequiredService<ScopeConnection>().Open(db); // resolved after the context: disposed before it
                    return db;
                });
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContextPool<PostgresAppDbContext>(o => ConfigurePostgres(o, settings.ConnectionString, settings));
                services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<PostgresAppDbContext>());
                break;
            case DatabaseProvider.SqlServer:
                services.AddDbContextPool<SqlServerAppDbContext>(o => ConfigureSqlServer(o, settings.ConnectionString, settings));
                services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqlServerAppDbContext>());
                break;
        }
        return services;
    }

    internal static void ConfigureSqlite(DbContextOptionsBuilder o, string cs) =>
        o.UseSqlite(cs, s => s.MigrationsHistoryTable("__ef_migrations")).AddInterceptors(new SqliteBusyTimeout(), new SqliteWriteGate(cs));

    // The server engines retry transient failures (a dropped connection, a restart, a serialization failure): every
    // explicit transaction therefore runs inside the execution strategy (ExecutionStrategyExtensions.RetryingAsync).
    // SQLite is a file: nothing to reconnect to.
    internal static void ConfigurePostgres(DbContextOptionsBuilder o, string cs, DatabaseSettings? settings = null) =>
        o.UseNpgsql(cs, s =>
        {
            s.MigrationsHistoryTable("__ef_migrations");
            if (settings is { MaxRetryCount: > 0 }) s.EnableRetryOnFailure(settings.MaxRetryCount, settings.MaxRetryDelay, null);
        });

    internal static void ConfigureSqlServer(DbContextOptionsBuilder o, string cs, DatabaseSettings? settings = null) =>
        o.UseSqlServer(cs, s =>
        {
            s.MigrationsHistoryTable("__ef_migrations");
            if (settings is { MaxRetryCount: > 0 }) s.EnableRetryOnFailure(settings.MaxRetryCount, settings.MaxRetryDelay, null);
        });

    /// <summary>Brings the schema up to date. Instances starting at once call it inside <see cref="StartupLock"/>.</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL lets readers go on while one writer commits: the default for a server on one file.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
            await db.Database.CloseConnectionAsync();
        }
        await db.Database.MigrateAsync();
    }
}
