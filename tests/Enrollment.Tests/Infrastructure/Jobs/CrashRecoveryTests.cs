using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Processes;

namespace Enrollment.Tests.Infrastructure.Jobs;

/// <summary>
/// The compiled server as a real process, killed with SIGKILL in the middle of sending a batch of invitation emails
/// and started again on the same data directory (and database): the interrupted jobs run again within seconds
/// (<c>Jobs:InvisibilityTimeout</c>), and every recipient gets exactly one message — those the SMTP server had
/// accepted before the kill are recorded as sent and not sent again. Runs on SQLite and on PostgreSQL.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private const int Recipients = 150; // two jobs (100 + 50), sent by two workers over two connections at once
    private const int KillAfter = 40;   // messages the SMTP server has taken in when the server is killed

    [Fact]
    public async Task A_server_killed_mid_batch_finishes_the_batch_after_restart_and_every_recipient_gets_exactly_one_message()
    {
        var clock = Stopwatch.StartNew();
        await using var smtp = new SlowSmtpServer(TimeSpan.FromMilliseconds(60)) { HoldFrom = KillAfter };
        var data = Path.Combine(Path.GetTempPath(), "enrollment-crash-" + Guid.NewGuid().ToString("N"));
        var postgres = TestDatabase.IsPostgres ? TestDatabase.CreatePostgresDatabase() : null;
        var port = LoopbackSmtpServer.FreePort();
        var settings = new Dictionary<string, string>
        {
            ["ENROLLMENT_BOOTSTRAP_PASSWORD"] = EnrollmentApp.AdminPassword,
            ["ENROLLMENT_BOOTSTRAP_TOKEN"] = EnrollmentApp.AdminToken,
            ["Email__Host"] = "127.0.0.1", ["Email__Port"] = smtp.Port.ToString(), ["Email__From"] = "enrollment@example.com",
            ["Email__Timeout"] = "2", ["Email__UseTls"] = "false",
            ["Jobs__InvisibilityTimeout"] = "00:00:05", ["Jobs__PollInterval"] = "00:00:00.200", ["Jobs__Workers"] = "2",
        };
        if (postgres is not null)
        {
            settings["Database__Provider"] = "Postgres";
            settings["Database__ConnectionString"] = postgres;
        }
        var server = new AppProcess(Path.Combine(AppContext.BaseDirectory, "Enrollment.dll"), port, data, settings);
        await server.StartAsync();
        try
        {
            using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
            api.DefaultRequestHeaders.Authorization = new("Bearer", EnrollmentApp.AdminToken);
            var flow = await api.GetFromJsonAsync<JsonObject>("/api/v3/flows/instances/invitation-enrollment/");
            var created = await api.PostAsJsonAsync("/api/v3/stages/invitation/invitations/", new JsonObject { ["name"] = "crash-batch", ["flow"] = (string)flow!["pk"]! });
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            var invitation = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["pk"]!;
            var addresses = Enumerable.Range(0, Recipients).Select(i => $"crash{i:D3}@example.com").ToList();
            var queued = await api.PostAsJsonAsync($"/api/v3/stages/invitation/invitations/{invitation}/send_email/",
                new JsonObject { ["email_addresses"] = new JsonArray([.. addresses.Select(a => JsonValue.Create(a))]) });
            Assert.Equal(HttpStatusCode.NoContent, queued.StatusCode);

            // Every connection is waiting for the answer to a message: the kill lands mid-batch, in the middle of a send.
            await smtp.AllHolding.Task.WaitAsync(TimeSpan.FromSeconds(60));
            server.Kill();
            smtp.Release();
            var beforeKill = smtp.Accepted;
            Assert.InRange(beforeKill, KillAfter - 1, Recipients - 10);
            var rows = await DeliveriesAsync(data, postgres);
            Assert.Equal(Recipients, rows.Count);
            // What the server accepted is recorded as sent, nothing more; the rest waits, some of it taken ("sending").
            Assert.Equal(smtp.AcceptedRecipients.Order(), rows.Where(r => r.State == "sent").Select(r => r.Email).Order());
            Assert.Contains(rows, r => r.State == "sending");

            var restarting = Stopwatch.StartNew();
            await server.StartAsync();
            var started = restarting.Elapsed;
            var ready = Stopwatch.StartNew(); // the process's start-up on a loaded machine is not what is measured
            await smtp.WaitForAsync(beforeKill + 1, TimeSpan.FromSeconds(60));
            var resumed = ready.Elapsed;
            await smtp.WaitForAsync(Recipients, TimeSpan.FromSeconds(60));
            var delivered = ready.Elapsed;
            output.WriteLine($"accepted before the kill {beforeKill}; restart took {started}; first message after it {resumed}; all {Recipients} {delivered} after it was ready");
            // Anything sent twice would show up here, after a pause for late duplicates.
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal(addresses, smtp.PerRecipient.Keys.Order());
            Assert.All(smtp.PerRecipient, r => Assert.True(r.Value == 1, $"{r.Key} got {r.Value} messages."));

            var deadline = DateTime.UtcNow.AddSeconds(20);
            while ((rows = await DeliveriesAsync(data, postgres)).Any(r => r.State != "sent") && DateTime.UtcNow < deadline) await Task.Delay(200);
            Assert.All(rows, r => Assert.True(r.State == "sent", $"{r.Email} is {r.State}."));
            Assert.True(delivered < TimeSpan.FromMinutes(1), $"The rest arrived {delivered} after the restarted server was ready.");
        }
        finally
        {
            server.Kill();
            if (postgres is not null) TestDatabase.DropPostgresDatabase(postgres);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(data, true); } catch (IOException) { }
        }
        output.WriteLine($"The test took {clock.Elapsed} (two server start-ups included).");
    }

    private sealed record Row(string Email, string State);

    private static async Task<List<Row>> DeliveriesAsync(string data, string? postgres)
    {
        const string sql = "select email, state from invitation_deliveries";
        var rows = new List<Row>();
        if (postgres is not null)
        {
            await using var connection = new Npgsql.NpgsqlConnection(postgres);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(new Row(reader.GetString(0), reader.GetString(1)));
        }
        else
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(data, "enrollment.db")};Pooling=false");
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add(new Row(reader.GetString(0), reader.GetString(1)));
        }
        return rows;
    }
}
