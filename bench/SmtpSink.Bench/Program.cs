// The SMTP sink measured alone (the bulk email benchmark needs a receiver far faster than its 500 messages/s
// target). First a protocol self-test against an in-process sink; then MailKit sends N invitation-sized messages
// (HTML + text alternative, ~3 KB) over one reused connection, and over C connections in parallel, and the rate is
// reported for each.
//
//   dotnet run -c Release -- [--n 10000] [--connections 1,4] [--warmup 200]
//                            [--server 127.0.0.1:2525 --sink-pid PID]   a sink running as its own process (its CPU
//                                                                       time is read from the pid); default: in-process
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Enrollment.Bench.Smtp;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

var n = 10_000;
var connectionCounts = new[] { 1, 4 };
var warmup = 200;
string? server = null;
int? sinkPid = null;
for (var i = 0; i < args.Length; i++)
{
    var ok = i + 1 < args.Length && args[i] switch
    {
        "--n" => int.TryParse(args[++i], out n) && n > 0,
        "--connections" => (connectionCounts = args[++i].Split(',').Select(s => int.TryParse(s, out var c) ? c : 0).ToArray()).All(c => c > 0),
        "--warmup" => int.TryParse(args[++i], out warmup) && warmup >= 0,
        "--server" => (server = args[++i]).Contains(':'),
        "--sink-pid" => int.TryParse(args[++i], out var pid) && (sinkPid = pid) > 0,
        _ => false,
    };
    if (!ok)
    {
        Console.Error.WriteLine("usage: SmtpSink.Bench [--n 10000] [--connections 1,4] [--warmup 200] [--server HOST:PORT [--sink-pid PID]]");
        return 2;
    }
}

// 1. Protocol self-test (in-process sink, raw socket and MailKit).
await SelfTest.RunAsync();

// 2. Throughput.
await using var local = server is null ? new SmtpSink(new SmtpSinkOptions { KeepLast = 10 }) : null;
string host;
int port;
if (local is not null)
{
    await local.StartAsync();
    (host, port) = ("127.0.0.1", local.Port);
}
else
{
    var colon = server!.LastIndexOf(':');
    (host, port) = (server[..colon], int.Parse(server[(colon + 1)..]));
}
var sinkProcess = sinkPid is { } p ? Process.GetProcessById(p) : null;
var sample = Invitation.Build(0);
Console.WriteLine($"SMTP sink bench: {Environment.ProcessorCount} cores; sink {(local is null ? $"at {host}:{port} (its own process{(sinkProcess is null ? "" : $", pid {sinkProcess.Id}")})" : $"in this process on 127.0.0.1:{port}")}; " +
                  $"MailKit {FileVersionInfo.GetVersionInfo(typeof(SmtpClient).Assembly.Location).ProductVersion?.Split('+')[0]}; message {Invitation.Size(sample):N0} bytes (multipart/alternative: text + HTML)");

for (var i = 0; i < 500; i++) _ = Invitation.Build(i);   // JIT
var buildClock = Stopwatch.StartNew();
for (var i = 0; i < 2_000; i++) _ = Invitation.Build(i);
Console.WriteLine($"building a message alone (MimeKit, no sending; not part of the timed runs): {2_000 / buildClock.Elapsed.TotalSeconds:N0} messages/s on one thread");

var failed = false;
foreach (var connections in connectionCounts)
{
    if (warmup > 0) await SendAsync(host, port, Enumerable.Range(1_000_000, warmup).Select(Invitation.Build).ToArray(), Math.Min(connections, warmup));
    // Built before the clock starts: the run measures SMTP (MailKit's serialization and the sink), not MimeKit's building.
    var messages = Enumerable.Range(0, n).Select(Invitation.Build).ToArray();
    var before = local?.Counters;
    var self = Process.GetCurrentProcess();
    var clientCpu = self.TotalProcessorTime;
    sinkProcess?.Refresh();
    var sinkCpu = sinkProcess?.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    var latencies = await SendAsync(host, port, messages, connections);
    clock.Stop();
    self.Refresh();
    sinkProcess?.Refresh();
    var seconds = clock.Elapsed.TotalSeconds;
    Array.Sort(latencies);
    double Pct(double q) => latencies[(int)Math.Min(latencies.Length - 1, Math.Ceiling(q * latencies.Length) - 1)];
    Console.WriteLine($"{connections} connection{(connections == 1 ? "" : "s")}: {n:N0} messages in {seconds:F2} s = {n / seconds:N0} messages/s; " +
                      $"per message p50 {Pct(0.50):F2} ms, p95 {Pct(0.95):F2} ms, p99 {Pct(0.99):F2} ms, max {latencies[^1]:F2} ms");
    var cpu = $"  CPU: {(local is null ? "client" : "client + sink (one process)")} {(self.TotalProcessorTime - clientCpu).TotalMilliseconds / n * 1000:F0} µs per message";
    if (sinkProcess is not null) cpu += $", sink process {(sinkProcess.TotalProcessorTime - sinkCpu!.Value).TotalMilliseconds / n * 1000:F0} µs per message";
    Console.WriteLine(cpu + $"; peak working set of this process {self.PeakWorkingSet64 / 1048576.0:F0} MB");
    if (local is not null)
    {
        var after = local.Counters;
        var got = after.Messages - before!.Value.Messages;
        var rcpts = after.Recipients - before.Value.Recipients;
        var last = local.LastMessages[^1];
        var parsed = MimeMessage.Load(new MemoryStream(last.Data));
        var checks = got == n && rcpts == n && parsed.HtmlBody?.Contains("itoken=") == true && parsed.TextBody?.Contains("\n.") == true
                     && last.Recipients.Count == 1 && parsed.To.Mailboxes.Single().Address == last.Recipients[0];
        Console.WriteLine($"  sink counted {got:N0} messages, {rcpts:N0} recipients, {(after.Bytes - before.Value.Bytes) / (double)got:N0} bytes per message; " +
                          $"last message parses (text + HTML, link, dot-stuffed line intact, envelope = To): {(checks ? "yes" : "NO")}");
        failed |= !checks;
    }
}
Console.WriteLine($"target: far faster than 500 messages/s (aim 1,500/s on one connection)");
return failed ? 1 : 0;

// Sends the messages over `connections` connections (one SmtpClient each, reused for all its messages) and returns
// each send's duration in ms.
static async Task<double[]> SendAsync(string host, int port, MimeMessage[] messages, int connections)
{
    var count = messages.Length;
    var latencies = new double[count];
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
    {
        using var client = new SmtpClient { LocalDomain = "bench.localhost" };
        await client.ConnectAsync(host, port, SecureSocketOptions.None);
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var started = Stopwatch.GetTimestamp();
            await client.SendAsync(messages[i]);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        await client.DisconnectAsync(quit: true);
    })));
    return latencies;
}

/// <summary>An invitation email as the app would send one: ~3 KB, text and HTML alternatives, a personal link.</summary>
internal static class Invitation
{
    private const string Paragraph =
        "You have been invited to create an account. The link below is personal: it works once, and it expires in " +
        "seven days. If you did not expect this invitation, you can ignore this message; nothing happens until the " +
        "link is opened.";

    public static MimeMessage Build(int i)
    {
        var token = new Guid(i, 0x1234, 0x5678, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78);
        var link = $"https://enrollment.example.com/if/flow/default-enrollment/?itoken={token}";
        var name = $"Invitee {i}";
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Enrollment", "no-reply@enrollment.example.com"));
        message.To.Add(new MailboxAddress(name, $"invitee-{i}@example.com"));
        message.Subject = "You're invited to Enrollment";
        var text = new StringBuilder()
            .Append("Hello ").Append(name).Append(",\n\n").Append(Paragraph).Append("\n\n")
            .Append("Accept the invitation: ").Append(link).Append("\n\n")
            .Append("This invitation was sent by the administrators of Enrollment. Replies to this address are not read.\n")
            .Append("Questions about your account: ask the person who invited you, or your organisation's help desk.\n")
            .Append(".\n..\n.signature: a line that starts with a dot, sent dot-stuffed\n")
            .Append("-- \nEnrollment\n");
        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>You're invited</title></head>")
            .Append("<body style=\"margin:0;padding:0;background:#f4f5f7;font-family:Arial,Helvetica,sans-serif;color:#151515\">")
            .Append("<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr><td align=\"center\" style=\"padding:32px 16px\">")
            .Append("<table role=\"presentation\" width=\"560\" cellpadding=\"0\" cellspacing=\"0\" style=\"background:#ffffff;border-radius:4px\">")
            .Append("<tr><td style=\"padding:24px 32px;font-size:20px;font-weight:bold\">Enrollment</td></tr>")
            .Append("<tr><td style=\"padding:0 32px 16px;font-size:15px;line-height:22px\"><p>Hello ").Append(name).Append(",</p><p>")
            .Append(Paragraph).Append("</p></td></tr>")
            .Append("<tr><td style=\"padding:8px 32px 24px\"><a href=\"").Append(link)
            .Append("\" style=\"display:inline-block;padding:12px 24px;background:#0066cc;color:#ffffff;text-decoration:none;border-radius:3px\">Accept the invitation</a></td></tr>")
            .Append("<tr><td style=\"padding:0 32px 24px;font-size:12px;color:#6a6e73\">If the button does not work, open this address: ")
            .Append(link).Append("</td></tr>")
            .Append("<tr><td style=\"padding:16px 32px;font-size:12px;color:#6a6e73;border-top:1px solid #d2d2d2\">")
            .Append("This invitation was sent by the administrators of Enrollment. Replies to this address are not read. ")
            .Append("Questions about your account: ask the person who invited you, or your organisation's help desk.</td></tr>")
            .Append("</table></td></tr></table></body></html>");
        message.Body = new BodyBuilder { TextBody = text.ToString(), HtmlBody = html.ToString() }.ToMessageBody();
        return message;
    }

    public static long Size(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.Length;
    }
}

/// <summary>Protocol checks against an in-process sink; throws on the first failure.</summary>
internal static class SelfTest
{
    public static async Task RunAsync()
    {
        await using var sink = new SmtpSink(new SmtpSinkOptions { KeepLast = 5, MaxMessageSize = 100_000 });
        await sink.StartAsync();

        // Raw: greeting, order errors, a pipelined transaction, a terminator split across writes, dot-unstuffing,
        // a bare LF that does not end a line, RSET/NOOP/unknown/oversize/QUIT.
        using (var tcp = new TcpClient())
        {
            await tcp.ConnectAsync("127.0.0.1", sink.Port);
            var s = tcp.GetStream();
            var reader = new StreamReader(s, Encoding.ASCII);
            async Task Send(string text) { await s.WriteAsync(Encoding.ASCII.GetBytes(text)); await s.FlushAsync(); }
            async Task Expect(string prefix)
            {
                var line = await reader.ReadLineAsync() ?? "";
                if (!line.StartsWith(prefix, StringComparison.Ordinal)) throw new InvalidOperationException($"self-test: expected '{prefix}…', got '{line}'");
            }
            await Expect("220 ");
            await Send("MAIL FROM:<a@example.com>\r\n");
            await Expect("503 ");
            await Send("EHLO client.localhost\r\n");
            await Expect("250-");
            await Expect("250-PIPELINING");
            await Expect("250-8BITMIME");
            await Expect("250-SIZE 100000");
            await Expect("250 ");
            await Send("RCPT TO:<b@example.com>\r\nDATA\r\n");
            await Expect("503 ");
            await Expect("503 ");
            await Send("MAIL FROM:<a@example.com> SIZE=120 BODY=8BITMIME\r\nRCPT TO:<b@example.com>\r\nRCPT TO:<c@example.com>\r\nDATA\r\n");
            await Expect("250 ");
            await Expect("250 ");
            await Expect("250 ");
            await Expect("354 ");
            await Send("Subject: t\r\n\r\n..one dot\r\n...two dots\r\nbare\n.lf\r\n.");
            await Task.Delay(50);
            await Send("\r");
            await Task.Delay(50);
            await Send("\nRSET\r\nNOOP\r\nFOO\r\nMAIL FROM:<a@example.com> SIZE=999999999\r\nQUIT\r\n");
            await Expect("250 2.0.0 Ok: queued");
            await Expect("250 ");
            await Expect("250 ");
            await Expect("502 ");
            await Expect("552 ");
            await Expect("221 ");
        }
        var raw = sink.LastMessages.Single();
        const string expected = "Subject: t\r\n\r\n.one dot\r\n..two dots\r\nbare\n.lf\r\n";
        if (raw.Text != expected || raw.From != "a@example.com" || !raw.Recipients.SequenceEqual(["b@example.com", "c@example.com"]))
            throw new InvalidOperationException($"self-test: stored {raw.From} → {string.Join(",", raw.Recipients)}: '{raw.Text}'");

        // MailKit: a message whose text has lines starting with dots arrives intact; an oversized one is refused.
        using (var client = new SmtpClient { LocalDomain = "bench.localhost" })
        {
            await client.ConnectAsync("127.0.0.1", sink.Port, SecureSocketOptions.None);
            var message = Invitation.Build(42);
            await client.SendAsync(message);
            var got = MimeMessage.Load(new MemoryStream(sink.LastMessages[^1].Data));
            if (got.TextBody != message.TextBody || got.HtmlBody != message.HtmlBody || sink.LastMessages[^1].Recipients.Single() != "invitee-42@example.com")
                throw new InvalidOperationException("self-test: the MailKit message did not arrive intact");
            var big = new MimeMessage([new MailboxAddress("a", "a@example.com")], [new MailboxAddress("b", "b@example.com")], "big",
                new TextPart("plain") { Text = new string('x', 200_000) });
            try
            {
                await client.SendAsync(big);
                throw new InvalidOperationException("self-test: an oversized message was accepted");
            }
            catch (SmtpCommandException e) when (e.StatusCode == SmtpStatusCode.ExceededStorageAllocation) { }
            await client.DisconnectAsync(true);
        }

        // Many connections at once.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            using var client = new SmtpClient { LocalDomain = "bench.localhost" };
            await client.ConnectAsync("127.0.0.1", sink.Port, SecureSocketOptions.None);
            for (var k = 0; k < 5; k++) await client.SendAsync(Invitation.Build(1000 + i * 10 + k));
            await client.DisconnectAsync(true);
        }));
        var c = sink.Counters;
        if (c.Messages != 102 || c.Recipients != 103 || c.Rejected != 2 || c.Connections != 22)
            throw new InvalidOperationException($"self-test: counters {c}");
        await sink.StopAsync();
        if (sink.Counters.ActiveConnections != 0) throw new InvalidOperationException("self-test: connections left open after stop");
        Console.WriteLine("self-test: passed (raw protocol, pipelining, split terminator, dot-unstuffing, bare LF, SIZE, MailKit round trip, 20 connections)");
    }
}
