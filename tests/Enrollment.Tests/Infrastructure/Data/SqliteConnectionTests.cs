using System.Diagnostics;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Infrastructure.Data;

/// <summary>The embedded default's connection handling: pragmas per pooled handle, one writer at a time in memory.</summary>
public sealed class SqliteConnectionTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [SkippableFact]
    public async Task Every_request_scope_gets_a_connection_with_the_busy_timeout_and_synchronous_normal()
    {
        Skip.If(TestDatabase.IsPostgres, "SQLite pragmas.");
        // Several scopes in a row: pooled handles are reused, and the pragmas must hold on each of them.
        for (var i = 0; i < 3; i++)
        {
            var (busy, synchronous) = await app.DbAsync(async db =>
            {
                await db.Flows.CountAsync(); // what a request does first: a query, on the scope's connection
                var connection = db.Database.GetDbConnection();
                return (await PragmaAsync(connection, "busy_timeout"), await PragmaAsync(connection, "synchronous"));
            });
            Assert.Equal(30000, busy);
            Assert.Equal(1, synchronous); // NORMAL
        }
    }

    private static async Task<long> PragmaAsync(System.Data.Common.DbConnection connection, string name)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA {name}";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [SkippableFact]
    public async Task Fifty_concurrent_writers_all_commit()
    {
        Skip.If(TestDatabase.IsPostgres, "The write gate is SQLite's.");
        var prefix = "gate-" + Guid.NewGuid().ToString("N")[..8];
        await app.DbAsync(db => db.Groups.CountAsync()); // the app starts once, before the writers run at it
        await Parallel.ForEachAsync(Enumerable.Range(0, 50), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (i, ct) =>
        {
            await app.DbAsync(async db =>
            {
                db.Groups.Add(new Group { Name = $"{prefix}-{i}" }); // one statement: SQLite commits it on its own
                await db.SaveChangesAsync(ct);
                await db.Groups.Where(g => g.Name == $"{prefix}-{i}").ExecuteUpdateAsync(s => s.SetProperty(g => g.IsSuperuser, false), ct);
                await using var tx = await db.Database.BeginTransactionAsync(ct); // a transaction of two statements
                db.Groups.Add(new Group { Name = $"{prefix}-{i}-a" });
                db.Groups.Add(new Group { Name = $"{prefix}-{i}-b" });
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            });
        });
        Assert.Equal(150, await app.DbAsync(db => db.Groups.CountAsync(g => g.Name.StartsWith(prefix))));
    }

    [SkippableFact]
    public async Task A_transaction_disposed_without_commit_does_not_keep_other_writers_waiting()
    {
        Skip.If(TestDatabase.IsPostgres, "The write gate is SQLite's.");
        var name = "gate-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                db.Groups.Add(new Group { Name = name + "-rolled-back" });
                await db.SaveChangesAsync();
            } // disposed: rolled back, no commit or rollback call
            db.ChangeTracker.Clear();
            Assert.Equal(0, await db.Groups.CountAsync(g => g.Name == name + "-rolled-back")); // the same context goes on
        }

        var clock = Stopwatch.StartNew();
        await app.DbAsync(async db =>
        {
            db.Groups.Add(new Group { Name = name });
            await db.SaveChangesAsync();
        });
        // Well under the gate's longest wait (10 s), after which a writer would go to SQLite's locking anyway.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the write waited {clock.Elapsed}");
        Assert.Equal(1, await app.DbAsync(db => db.Groups.CountAsync(g => g.Name.StartsWith(name))));
    }

    [SkippableFact]
    public async Task A_request_that_ends_inside_a_transaction_does_not_keep_other_writers_waiting()
    {
        Skip.If(TestDatabase.IsPostgres, "The write gate is SQLite's.");
        var name = "gate-" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var tx = await db.Database.BeginTransactionAsync(); // never committed, rolled back or disposed by the code
            db.Groups.Add(new Group { Name = name + "-abandoned" });
            await db.SaveChangesAsync();
        } // the scope ends: its connection closes

        var clock = Stopwatch.StartNew();
        await app.DbAsync(async db =>
        {
            db.Groups.Add(new Group { Name = name });
            await db.SaveChangesAsync();
        });
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the write waited {clock.Elapsed}");
        Assert.Equal(1, await app.DbAsync(db => db.Groups.CountAsync(g => g.Name.StartsWith(name))));
    }
}
