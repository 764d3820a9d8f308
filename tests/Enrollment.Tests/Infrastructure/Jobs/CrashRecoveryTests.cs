using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;
using Enrollment.Tests.Kit;

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
        var server = await ServerProcess.StartAsync(port, data, settings);
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
            server = await ServerProcess.StartAsync(port, data, settings);
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

    /// <summary>The published server (the build output's Enrollment.dll) as a child process.</summary>
    private sealed class ServerProcess
    {
        private readonly Process process;
        private readonly StringBuilder output = new();

        private ServerProcess(Process process) => this.process = process;

        public static async Task<ServerProcess> StartAsync(int port, string data, IReadOnlyDictionary<string, string> environment)
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "Enrollment.dll");
            var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}", "--DataDirectory", data])
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory,
            };
            foreach (var (key, value) in environment) start.Environment[key] = value;
            var server = new ServerProcess(Process.Start(start)!);
            server.process.OutputDataReceived += (_, e) => { lock (server.output) server.output.AppendLine(e.Data); };
            server.process.ErrorDataReceived += (_, e) => { lock (server.output) server.output.AppendLine(e.Data); };
            server.process.BeginOutputReadLine();
            server.process.BeginErrorReadLine();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            for (var i = 0; i < 240; i++)
            {
                try
                {
                    if ((await http.GetAsync("/if/login/")).StatusCode == HttpStatusCode.OK) return server;
                }
                // Not listening yet, or the first request still compiling on a loaded machine: try again.
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
                if (server.process.HasExited) break;
                await Task.Delay(250);
            }
            server.Kill();
            lock (server.output) throw new Xunit.Sdk.XunitException("The server did not start: " + server.output);
        }

        /// <summary>SIGKILL on Linux: no shutdown, no finally blocks, no flushing; what the kernel does for a crash.</summary>
        public void Kill()
        {
            if (process.HasExited) return;
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }
    }

    /// <summary>
    /// A minimal SMTP server on loopback that answers each message slowly and counts a message only once it has told a
    /// live client "250": a sender that died before that answer has not handed the message over (RFC 5321: the
    /// server takes responsibility with its reply). From the <see cref="HoldFrom"/>th message on it holds every
    /// answer until <see cref="Release"/>, and says so once every open connection is waiting (<see cref="AllHolding"/>).
    /// </summary>
    private sealed class SlowSmtpServer : IAsyncDisposable
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource stop = new();
        private readonly TimeSpan delay;
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly SemaphoreSlim arrived = new(0);
        private readonly Task accepting;
        private readonly object gate = new();
        private int messages, open, holding;

        public SlowSmtpServer(TimeSpan delay)
        {
            this.delay = delay;
            listener.Start();
            accepting = AcceptAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
        public int HoldFrom { get; init; } = int.MaxValue;
        public TaskCompletionSource AllHolding { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ConcurrentDictionary<string, int> PerRecipient { get; } = new();
        public ConcurrentQueue<string> AcceptedQueue { get; } = new();
        public IEnumerable<string> AcceptedRecipients => AcceptedQueue;
        public int Accepted => AcceptedQueue.Count;

        public void Release() => released.TrySetResult();

        public async Task WaitForAsync(int count, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (Accepted < count)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"Expected {count} messages, the SMTP server accepted {Accepted}.");
                await arrived.WaitAsync(left);
            }
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(stop.Token); }
                catch (Exception) { return; }
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(TcpClient client)
        {
            lock (gate) open++;
            try
            {
                using var _ = client;
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.Latin1);
                async Task Say(string line) => await stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\r\n"), stop.Token);
                await Say("220 localhost ESMTP test server");
                var recipients = new List<string>();
                while (await reader.ReadLineAsync(stop.Token) is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    switch (verb)
                    {
                        case "EHLO": await Say("250-localhost\r\n250 8BITMIME"); break;
                        case "HELO": await Say("250 localhost"); break;
                        case "MAIL": recipients.Clear(); await Say("250 2.1.0 OK"); break;
                        case "RCPT":
                            recipients.Add(line[(line.IndexOf('<') + 1)..line.LastIndexOf('>')]);
                            await Say("250 2.1.5 OK");
                            break;
                        case "DATA":
                            await Say("354 End data with <CR><LF>.<CR><LF>");
                            while (await reader.ReadLineAsync(stop.Token) is { } body && body != ".") { }
                            await Task.Delay(delay, stop.Token);
                            if (Interlocked.Increment(ref messages) >= HoldFrom) await HoldAsync();
                            // The client died while we held the message: it never had our answer, so we never had its message.
                            if (client.Client.Poll(0, SelectMode.SelectRead) && client.Client.Available == 0) return;
                            await Say("250 2.0.0 queued");
                            foreach (var r in recipients)
                            {
                                PerRecipient.AddOrUpdate(r, 1, (_, n) => n + 1);
                                AcceptedQueue.Enqueue(r);
                            }
                            arrived.Release();
                            break;
                        case "RSET": recipients.Clear(); await Say("250 OK"); break;
                        case "NOOP": await Say("250 OK"); break;
                        case "QUIT": await Say("221 Bye"); return;
                        default: await Say("502 5.5.2 Command not implemented"); break;
                    }
                }
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
            finally
            {
                lock (gate) { open--; Check(); }
            }
        }

        private async Task HoldAsync()
        {
            if (released.Task.IsCompleted) return;
            lock (gate) { holding++; Check(); }
            await released.Task;
            lock (gate) holding--;
        }

        private void Check()
        {
            if (holding > 0 && holding >= open) AllHolding.TrySetResult();
        }

        public async ValueTask DisposeAsync()
        {
            Release();
            stop.Cancel();
            listener.Stop();
            try { await accepting; } catch (OperationCanceledException) { }
            stop.Dispose();
        }
    }
}
