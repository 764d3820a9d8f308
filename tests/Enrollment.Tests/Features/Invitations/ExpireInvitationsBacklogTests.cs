using Enrollment.Domain;
using Enrollment.Features.Invitations.ExpireInvitations;
using Enrollment.Infrastructure.Data;
using Enrollment.Tests.Kit;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>
/// A backlog of most of the table: on SQLite the job drops the table's secondary indexes, deletes, and builds them
/// again (bench/expiry.sh) — the result must be exactly the plain delete's, with every index back as it was.
/// </summary>
public sealed class ExpireInvitationsBacklogTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static readonly DateTime Now = new(2035, 6, 1, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task A_large_backlog_is_deleted_with_its_deliveries_and_every_index_is_back()
    {
        var flow = await app.FlowAsync("backlog-flow");
        await FillAsync(flow.Id, expired: 12_000, live: 2_000);
        var (indexesBefore, schemaBefore) = await app.DbAsync(SchemaAsync);

        Assert.Equal(12_000, await app.SendAsync(new ExpireInvitations.Command(Now, KeepExpiredDays: 0)));

        Assert.Equal(2_000, await app.DbAsync(db => db.Invitations.CountAsync(i => i.FlowId == flow.Id && i.Expires > Now)));
        Assert.Equal(0, await app.DbAsync(db => db.Invitations.CountAsync(i => i.Expires <= Now)));
        Assert.Equal(1, await app.DbAsync(db => db.Invitations.CountAsync(i => i.FlowId == flow.Id && i.Expires == null)));
        Assert.Equal(["live-0", "live-1"], await app.DbAsync(db => db.InvitationDeliveries.Select(d => d.Invitation.Name).OrderBy(n => n).ToListAsync()));
        var e = await app.DbAsync(db => db.Events.SingleAsync(x => x.Action == "invitation_expired"));
        Assert.Equal(12_000, (int)e.Context["count"]!);
        var (indexesAfter, schemaAfter) = await app.DbAsync(SchemaAsync);
        Assert.Equal(indexesBefore, indexesAfter);
        if (!TestDatabase.IsPostgres)
        {
            Assert.Equal(4, indexesAfter.Count(i => i.StartsWith("IX_invitations_", StringComparison.Ordinal) || i.StartsWith("sqlite_autoindex_invitations", StringComparison.Ordinal)));
            Assert.True(schemaAfter >= schemaBefore + 6, $"the indexes were not rebuilt (schema_version {schemaBefore} -> {schemaAfter})");
            // The indexes work: the planner uses the expiry index again.
            var plan = await app.DbAsync(async db =>
            {
                var connection = db.Database.GetDbConnection();
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "EXPLAIN QUERY PLAN SELECT id FROM invitations WHERE expires <= '2030-01-01'";
                await using var reader = await command.ExecuteReaderAsync();
                var details = new List<string>();
                while (await reader.ReadAsync()) details.Add(reader.GetString(reader.GetOrdinal("detail")));
                return details;
            });
            Assert.Contains(plan, p => p.Contains("IX_invitations_expires", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_rolled_back_backlog_delete_leaves_rows_and_indexes_as_they_were()
    {
        if (TestDatabase.IsPostgres) return; // the rebuild is SQLite's; the plain delete's rollback is the engine's
        var flow = await app.FlowAsync("rollback-flow");
        await FillAsync(flow.Id, expired: 12_000, live: 0);
        var (indexesBefore, _) = await app.DbAsync(SchemaAsync);
        var count = await app.DbAsync(db => db.Invitations.CountAsync());

        await app.DbAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            Assert.True(await db.DeleteMostlyAsync(db.Invitations.Where(i => i.Expires <= Now), default) >= 12_000);
            await tx.RollbackAsync();
        });

        Assert.Equal(count, await app.DbAsync(db => db.Invitations.CountAsync()));
        Assert.Equal(indexesBefore, (await app.DbAsync(SchemaAsync)).Indexes);
        await app.DbAsync(db => db.Invitations.Where(i => i.FlowId == flow.Id).ExecuteDeleteAsync()); // the other test counts the backlog
    }

    private Task FillAsync(Guid flowId, int expired, int live) => app.DbAsync(db =>
    {
        var invitations = Enumerable.Range(0, expired).Select(i => new Invitation { Name = $"{flowId:N}-due-{i}", FlowId = flowId, Expires = Now.AddMinutes(-1 - (i * 7919 % expired)) })
            .Concat(Enumerable.Range(0, live).Select(i => new Invitation { Name = $"live-{i}", FlowId = flowId, Expires = Now.AddDays(1 + i) }))
            .Append(new Invitation { Name = $"{flowId:N}-forever", FlowId = flowId, Expires = null })
            .ToList();
        db.Invitations.AddRange(invitations);
        foreach (var i in invitations.Where(i => i.Name.EndsWith("-due-0") || i.Name.EndsWith("-due-1") || i.Name is "live-0" or "live-1"))
            db.InvitationDeliveries.Add(new InvitationDelivery { Invitation = i, Email = "x@example.com", BaseUrl = "https://id.example.com" });
        return db.SaveChangesAsync();
    });

    /// <summary>The invitations table's indexes (name and definition) and SQLite's schema counter.</summary>
    private static async Task<(List<string> Indexes, int SchemaVersion)> SchemaAsync(Enrollment.Infrastructure.Data.AppDbContext db)
    {
        if (TestDatabase.IsPostgres)
            return (await db.Database.SqlQueryRaw<string>("SELECT indexname || ': ' || indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'invitations' ORDER BY 1").ToListAsync(), 0);
        var indexes = await db.Database.SqlQueryRaw<string>("SELECT name || ': ' || coalesce(sql, '') AS Value FROM sqlite_master WHERE type = 'index' AND tbl_name = 'invitations' ORDER BY 1").ToListAsync();
        var version = await db.Database.SqlQueryRaw<int>("SELECT schema_version AS Value FROM pragma_schema_version").SingleAsync();
        return (indexes, version);
    }
}
