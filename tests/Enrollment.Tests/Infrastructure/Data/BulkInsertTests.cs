using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Infrastructure.Data;

/// <summary>Rows written by the bulk insert read back through EF exactly as written: JSON, enums, UTC times, nulls, keys.</summary>
public sealed class BulkInsertTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task Bulk_inserted_rows_read_back_as_ef_wrote_them()
    {
        var flow = await app.FlowAsync("bulk-insert");
        var when = new DateTime(2031, 2, 3, 4, 5, 6, DateTimeKind.Utc);
        // More rows than one statement takes on the server engines, so several statements (and a shorter last one) run.
        var invitations = Enumerable.Range(0, 450).Select(i => new Invitation
        {
            Name = $"bulk-insert-{i}", FlowId = flow.Id, Expires = i % 2 == 0 ? when : null, SingleUse = i % 3 == 0,
            FixedData = new JsonObject { ["email"] = $"u{i}@example.com", ["attributes"] = new JsonObject { ["n"] = i, ["é"] = "ü \"q\"" } },
        }).ToList();
        var deliveries = invitations.Take(3).Select((inv, i) => new InvitationDelivery
        {
            InvitationId = inv.Id, Email = $"u{i}@example.com", BaseUrl = "https://id.example.com", State = DeliveryState.Retrying,
            Cc = ["cc@example.com"], NextAttempt = when, LastError = i == 0 ? null : "451 try later",
        }).ToList();

        // Inside the execution strategy, as the app's own transactions (PostgreSQL's retrying strategy requires it).
        await app.DbAsync(db => db.RetryingAsync(async _ =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.InsertAsync(invitations, default);
            await db.InsertAsync(deliveries, default);
            await transaction.CommitAsync();
        }, default));

        var read = await app.DbAsync(db => db.Invitations.AsNoTracking().Where(i => i.FlowId == flow.Id).ToDictionaryAsync(i => i.Id));
        Assert.Equal(450, read.Count);
        foreach (var expected in invitations)
        {
            var actual = read[expected.Id];
            Assert.Equal(expected.Name, actual.Name);
            Assert.Equal(expected.Expires, actual.Expires);
            Assert.Equal(expected.SingleUse, actual.SingleUse);
            Assert.Equal(expected.Created, actual.Created, TimeSpan.FromMilliseconds(1));
            Assert.True(JsonNode.DeepEquals(expected.FixedData, actual.FixedData), actual.FixedData.ToJsonString());
        }
        var ids = deliveries.Select(d => d.Id).ToList();
        var back = await app.DbAsync(db => db.InvitationDeliveries.AsNoTracking().Where(d => ids.Contains(d.Id)).OrderBy(d => d.Email).ToListAsync());
        Assert.All(back, d =>
        {
            Assert.Equal(DeliveryState.Retrying, d.State);
            Assert.Equal(when, d.NextAttempt);
            Assert.Equal(DateTimeKind.Utc, d.NextAttempt!.Value.Kind);
            Assert.Equal("[\"cc@example.com\"]", d.Cc.ToJsonString());
        });
        Assert.Equal([null, "451 try later", "451 try later"], back.Select(d => d.LastError));
        // EF finds them by key, so keys (GUIDs in text on SQLite) are stored in EF's format.
        Assert.NotNull(await app.DbAsync(db => db.InvitationDeliveries.FindAsync(ids[1]).AsTask()));
        Assert.Equal(3, await app.DbAsync(db => db.InvitationDeliveries.CountAsync(d => d.Invitation.FlowId == flow.Id)));
    }

    [Fact]
    public async Task A_bulk_insert_outside_a_transaction_is_refused()
    {
        await app.DbAsync(async db =>
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => db.InsertAsync(new[] { new Event { Action = "x" } }, default));
            Assert.Contains("inside a transaction", e.Message);
        });
    }
}
