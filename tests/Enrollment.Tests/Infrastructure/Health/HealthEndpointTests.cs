using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Health;

/// <summary>authentik's health endpoints: <c>/-/health/live/</c> and <c>/-/health/ready/</c>, anonymous and cheap.</summary>
public sealed class HealthEndpointTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Live = "/-/health/live/";
    private const string Ready = "/-/health/ready/";

    [Fact]
    public async Task Both_answer_200_anonymously_without_cookies_or_an_error_page()
    {
        using var client = app.CreateClient();
        foreach (var path in new[] { Live, Ready, "/-/health/live", "/-/health/ready" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
            Assert.False(response.Headers.Contains("Set-Cookie"), $"{path} sets no cookie (no session, no antiforgery)");
            Assert.Contains("no-store", response.Headers.CacheControl?.ToString() ?? "");
        }
    }

    [Fact]
    public async Task Ready_is_503_while_a_migration_is_missing_and_200_again_once_it_is_back()
    {
        using var client = app.CreateClient();
        var last = await app.DbAsync(db => db.Database.SqlQueryRaw<string>("SELECT \"MigrationId\" AS \"Value\" FROM __ef_migrations").OrderByDescending(m => m).FirstAsync());
        var version = await app.DbAsync(db => db.Database.SqlQueryRaw<string>("SELECT \"ProductVersion\" AS \"Value\" FROM __ef_migrations").FirstAsync());
        await app.DbAsync(db => db.Database.ExecuteSqlRawAsync("DELETE FROM __ef_migrations WHERE \"MigrationId\" = {0}", last));
        try
        {
            var response = await client.GetAsync(Ready);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync()); // the probe's answer, not the friendly error page
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Live)).StatusCode); // the process is still up
        }
        finally
        {
            await app.DbAsync(db => db.Database.ExecuteSqlRawAsync("INSERT INTO __ef_migrations (\"MigrationId\", \"ProductVersion\") VALUES ({0}, {1})", last, version));
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Ready)).StatusCode);
    }

    [Fact]
    public async Task Ready_is_503_while_the_database_cannot_be_reached_and_200_again_once_it_can()
    {
        using var client = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Ready)).StatusCode);
        await using (var outage = await OutageAsync())
        {
            var response = await client.GetAsync(Ready);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Live)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Ready)).StatusCode);
    }

    /// <summary>
    /// Takes the database away for as long as the result lives: on SQLite the file is moved aside and a folder put in
    /// its place; on PostgreSQL the database stops accepting connections.
    /// </summary>
    private async Task<IAsyncDisposable> OutageAsync()
    {
        if (TestDatabase.IsPostgres)
        {
            var connection = await app.DbAsync(db => Task.FromResult(db.Database.GetConnectionString()!));
            var name = new NpgsqlConnectionStringBuilder(connection).Database!;
            await AdminAsync($"ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false");
            await AdminAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' AND pid <> pg_backend_pid()");
            NpgsqlConnection.ClearAllPools();
            return new Restore(() => AdminAsync($"ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS true"));
        }
        var file = Path.Combine(app.DataDirectory, "enrollment.db");
        SqliteConnection.ClearAllPools();
        File.Move(file, file + ".aside");
        Directory.CreateDirectory(file);
        return new Restore(() =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(file);
            File.Move(file + ".aside", file);
            return Task.CompletedTask;
        });
    }

    private static async Task AdminAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(TestDatabase.PostgresServer);
        await admin.OpenAsync();
        await using var command = admin.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Restore(Func<Task> undo) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await undo();
    }
}
