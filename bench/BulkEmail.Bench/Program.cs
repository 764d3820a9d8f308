// The bulk invitation email benchmark: a bulk invitation of N recipients delivered to a loopback SMTP server.
//
//   dotnet BulkEmail.Bench.dll --app PATH/Enrollment.dll [--content-root DIR] [--n 10000] [--port 0 (a free one)]
//       [--data DIR (default: a fresh temporary directory, removed at the end)] [--sink-n 2000] [--pid-file FILE]
//
// 1. starts the SMTP sink (bench/SmtpSink) in this process on a free loopback port;
// 2. measures the sink alone: MailKit sends --sink-n invitation-sized messages over one connection to it;
// 3. starts the app (Release build given by --app, SQLite default, fresh DataDirectory, bootstrap admin, Email:* to
//    the sink) as a child process and waits for it to answer;
// 4. signs in as akadmin at /if/login/, opens /if/admin/invitations/bulk/ and posts the form with N generated
//    addresses pasted (flow `invitation-enrollment`, created by the default blueprints at first start);
// 5. from the POST on, waits until the sink has received N messages for those addresses (cap 10 min);
// 6. reports: time to accept the POST, time until all delivered, messages/s (from the POST, and first-to-last
//    delivery), the server's CPU per message, peak memory (VmHWM) of the server and of this process, and a database
//    check (all N rows of invitation_deliveries in state `sent`, SQLite file opened read-only); verdict vs 500/s.
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Enrollment.Bench.Smtp;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Data.Sqlite;
using MimeKit;

string? app = null, contentRoot = null, data = null, pidFile = null;
int n = 10_000, port = 0, sinkN = 2_000;
for (var i = 0; i < args.Length; i++)
{
    var ok = i + 1 < args.Length && args[i] switch
    {
        "--app" => File.Exists(app = args[++i]),
        "--content-root" => Directory.Exists(contentRoot = args[++i]),
        "--data" => (data = args[++i]).Length > 0,
        "--pid-file" => (pidFile = args[++i]).Length > 0,
        "--n" => int.TryParse(args[++i], out n) && n is > 0 and <= 50_000,
        "--port" => int.TryParse(args[++i], out port) && port is >= 0 and <= 65535,
        "--sink-n" => int.TryParse(args[++i], out sinkN) && sinkN >= 0,
        _ => false,
    };
    if (!ok) { app = null; break; }
}
if (app is null)
{
    Console.Error.WriteLine("usage: BulkEmail.Bench --app PATH/Enrollment.dll [--content-root DIR] [--n 10000 (max 50000)] [--port 0 (a free one)] [--data DIR] [--sink-n 2000] [--pid-file FILE]");
    return 2;
}
contentRoot ??= Path.GetDirectoryName(Path.GetFullPath(app))!;
var ownData = data is null;
data ??= Directory.CreateTempSubdirectory("bulk-email-bench.").FullName;
Directory.CreateDirectory(data);
const string Domain = "bulk.bench.example.com";
const string FlowSlug = "invitation-enrollment";
const string AdminPassword = "Bench-Adm1n-Tulip-Glacier-58!";
if (port == 0)
{
    // A free port for the app (the machine is shared with other benches).
    using var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    probe.Start();
    port = ((IPEndPoint)probe.LocalEndpoint).Port;
}
var baseUrl = $"http://127.0.0.1:{port}";
var report = new List<string>();
static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'");
static string Load() => File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
Console.WriteLine($"Bulk email bench: {Now()}, load average {Load()}, {Environment.ProcessorCount} cores, N={n:N0}, data in {data}");

// ---- 1. the sink, in this process. Messages to the bench's domain are timed from the POST on. ----
var clock = Stopwatch.StartNew();
long first = 0, last = 0, ours = 0;            // Stopwatch ticks of the first/last delivery of the run; its count
var measuring = 0;
var seen = new HashSet<string>();
var duplicates = 0;
await using var sink = new SmtpSink(new SmtpSinkOptions
{
    OnMessage = m =>
    {
        if (Volatile.Read(ref measuring) == 0 || m.Recipients.Count != 1 || !m.Recipients[0].EndsWith("@" + Domain, StringComparison.Ordinal)) return;
        var t = clock.ElapsedTicks;
        lock (seen)
        {
            if (!seen.Add(m.Recipients[0])) { duplicates++; return; }
            if (ours++ == 0) first = t;
            last = t;
        }
    },
});
await sink.StartAsync();
Console.WriteLine($"sink listening on 127.0.0.1:{sink.Port}");

// ---- 2. the sink alone, in the same run ----
if (sinkN > 0)
{
    await SinkAlone.SendAsync(sink.Port, 200);   // warm-up
    var messages = Enumerable.Range(0, sinkN).Select(SinkAlone.Build).ToArray();
    var t0 = Stopwatch.GetTimestamp();
    await SinkAlone.SendAsync(sink.Port, messages);
    var seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
    report.Add($"sink alone: {sinkN / seconds:N0} msg/s ({sinkN:N0} MailKit messages of {SinkAlone.Size(messages[0]):N0} bytes over one connection in {seconds:F2} s, sink in this process; {Now()}, load {Load()})");
    Console.WriteLine(report[^1]);
}

// ---- 3. the app ----
var log = Path.Combine(data, "server.log");
var start = new ProcessStartInfo("/bin/sh", ["-c", $"exec dotnet \"$0\" >\"$1\" 2>&1", Path.GetFullPath(app), log])
{
    WorkingDirectory = contentRoot,
    UseShellExecute = false,
};
var env = new Dictionary<string, string>
{
    ["ASPNETCORE_URLS"] = baseUrl,
    ["ASPNETCORE_ENVIRONMENT"] = "Production",
    ["RateLimits__Enabled"] = "false", // every request comes from this one address
    ["DataDirectory"] = data,
    ["ENROLLMENT_BOOTSTRAP_PASSWORD"] = AdminPassword,
    ["ENROLLMENT_BOOTSTRAP_EMAIL"] = "akadmin@bench.example.com",
    ["Email__Host"] = "127.0.0.1",
    ["Email__Port"] = sink.Port.ToString(),
    ["Email__From"] = "Enrollment <no-reply@bench.example.com>",
    ["Email__UseTls"] = "false",
    ["Email__UseSsl"] = "false",
};
foreach (var (k, v) in env) start.Environment[k] = v;
// Pass the app's own Jobs__*/Email__* overrides through unchanged (e.g. Jobs__Workers=8 bench/bulk-email.sh).
using var server = Process.Start(start)!;
if (pidFile is not null) await File.WriteAllTextAsync(pidFile, server.Id.ToString());
var status = 1;
try
{
    status = await RunAsync();
}
catch (Exception e) when (e is BenchException or HttpRequestException or TaskCanceledException or SqliteException)
{
    Console.WriteLine($"FAILED: {e.Message}");
    PrintServerErrors();
}
finally
{
    if (!server.HasExited)
    {
        Process.Start("kill", ["-TERM", server.Id.ToString()])!.WaitForExit();
        if (!server.WaitForExit(15_000)) server.Kill();
    }
    await sink.StopAsync();
    if (ownData) try { Directory.Delete(data, recursive: true); } catch (IOException) { }
}
return status;

async Task<int> RunAsync()
{
    using var handler = new SocketsHttpHandler { UseCookies = true, CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
    using var http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(5) };
    var up = Stopwatch.StartNew();
    while (true)
    {
        if (server.HasExited) throw new BenchException($"the server exited with {server.ExitCode}");
        try { if ((await http.GetAsync("/")).IsSuccessStatusCode) break; } catch (HttpRequestException) { }
        if (up.Elapsed > TimeSpan.FromSeconds(90)) throw new BenchException("the server did not answer in 90 s");
        await Task.Delay(250);
    }
    Console.WriteLine($"server up (pid {server.Id}) in {up.Elapsed.TotalSeconds:F1} s on {baseUrl}");

    // Sign in as a browser does.
    var login = await http.GetStringAsync("/if/login/");
    var response = await http.PostAsync("/if/login/", Form(login, ("Input.Username", "akadmin"), ("Input.Password", AdminPassword)));
    if (response.StatusCode != HttpStatusCode.Redirect) throw new BenchException($"login failed: {(int)response.StatusCode}");

    // The bulk form; the flow the default blueprints created must be offered.
    const string BulkUrl = "/if/admin/invitations/bulk/";
    var page = await http.GetStringAsync(BulkUrl);
    if (!page.Contains($"value=\"{FlowSlug}\"", StringComparison.Ordinal)) throw new BenchException($"the bulk page offers no flow {FlowSlug} (default blueprints not applied?)");
    var addresses = new StringBuilder();
    for (var i = 0; i < n; i++) addresses.Append("invitee").Append(i).Append('@').Append(Domain).Append("\r\n");
    var form = Form(page, ("Input.FlowSlug", FlowSlug), ("Input.SingleUse", "true"), ("Input.Addresses", addresses.ToString()));

    server.Refresh();
    var cpu0 = server.TotalProcessorTime;
    Volatile.Write(ref measuring, 1);
    var posted = clock.ElapsedTicks;
    response = await http.PostAsync(BulkUrl, form);
    var accepted = clock.ElapsedTicks;
    var location = response.Headers.Location?.OriginalString ?? "";
    if (response.StatusCode != HttpStatusCode.Redirect || !Regex.IsMatch(location, "^/if/admin/invitations/bulk/[0-9a-f-]{36}/$"))
        throw new BenchException($"the bulk POST was not accepted: {(int)response.StatusCode} {location} {Excerpt(await response.Content.ReadAsStringAsync())}");
    server.Refresh();
    var cpuPost = server.TotalProcessorTime - cpu0;
    Console.WriteLine($"POST accepted in {Seconds(accepted - posted):F2} s -> {location}");

    // Until the sink has them all (10 min cap), with progress every 5 s.
    var deadline = TimeSpan.FromMinutes(10);
    long previous = 0;
    while (Interlocked.Read(ref ours) < n)
    {
        var elapsed = Seconds(clock.ElapsedTicks - posted);
        if (elapsed > deadline.TotalSeconds) break;
        if (server.HasExited) throw new BenchException($"the server exited with {server.ExitCode}");
        await Task.Delay(100);
        var now = Seconds(clock.ElapsedTicks - posted);
        if ((int)(now / 5) != (int)(elapsed / 5))
        {
            var count = Interlocked.Read(ref ours);
            Console.WriteLine($"  {now,5:F0} s: {count:N0} delivered (+{(count - previous) / 5.0:N0}/s over the last 5 s)");
            previous = count;
        }
    }
    server.Refresh();
    var cpu = server.TotalProcessorTime - cpu0;
    long got, firstAt, lastAt;
    lock (seen) (got, firstAt, lastAt) = (ours, first, last);
    var serverHwm = VmHwm(server.Id);
    var benchHwm = VmHwm(Environment.ProcessId);

    // The database, read-only: every delivery of the run in state `sent`.
    await Task.Delay(2_000);   // the last job records its outcomes after its last message
    var states = new SortedDictionary<string, long>();
    await using (var db = new SqliteConnection($"Data Source={Path.Combine(data, "enrollment.db")};Mode=ReadOnly"))
    {
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT state, count(*) FROM invitation_deliveries WHERE email LIKE '%@' || $domain GROUP BY state";
        command.Parameters.AddWithValue("$domain", Domain);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) states[reader.GetString(0)] = reader.GetInt64(1);
    }
    var sent = states.GetValueOrDefault("sent");

    var total = Seconds(lastAt - posted);
    var rate = got / total;
    var spread = Seconds(lastAt - firstAt);
    report.Add($"bulk invitation of {n:N0} recipients (paste, flow {FlowSlug}), {Now()}, load {Load()}:");
    report.Add($"  POST accepted (invitations + deliveries inserted, jobs enqueued) in {Seconds(accepted - posted):F2} s");
    report.Add($"  delivered {got:N0} of {n:N0}{(duplicates > 0 ? $" (+{duplicates} duplicates)" : "")}; first after {Seconds(firstAt - posted):F2} s, all after {total:F2} s");
    report.Add($"  messages/s: {rate:N0} from the POST to the last delivery; {(spread > 0 ? (got - 1) / spread : 0):N0} from the first to the last delivery");
    var perMessage = cpu.TotalMilliseconds / Math.Max(got, 1);
    var deliveryPerMessage = (cpu - cpuPost).TotalMilliseconds / Math.Max(got, 1);
    report.Add($"  server CPU {cpu.TotalSeconds:F1} s = {perMessage * 1000:N0} µs per message: until the POST was answered {cpuPost.TotalSeconds:F1} s, " +
               $"after it {(cpu - cpuPost).TotalSeconds:F1} s = {deliveryPerMessage * 1000:N0} µs per message");
    report.Add($"  CPU view: with all {Environment.ProcessorCount} cores to itself the server could do at most {Environment.ProcessorCount * 1000 / perMessage:N0} messages/s end to end " +
               $"({Environment.ProcessorCount * 1000 / deliveryPerMessage:N0}/s for the delivery part alone); the sink's CPU comes on top");
    report.Add($"  peak memory (VmHWM): server {serverHwm}, bench (sink included) {benchHwm}");
    report.Add($"  database check: invitation_deliveries of the run by state: {string.Join(", ", states.Select(s => $"{s.Key} {s.Value:N0}"))} -> {(sent == n ? "all sent" : "NOT all sent")}");
    report.Add($"target: >= 500 messages/s delivered on the embedded default: {rate:N0}/s -> {(got == n && rate >= 500 ? "MET" : "MISSED")}");

    Console.WriteLine();
    Console.WriteLine("==== report ====");
    foreach (var line in report) Console.WriteLine(line);
    PrintServerErrors();
    return got == n && sent == n ? 0 : 1;
}

double Seconds(long ticks) => ticks / (double)Stopwatch.Frequency;

void PrintServerErrors()
{
    if (!File.Exists(log)) return;
    var lines = File.ReadAllLines(log);
    var errors = lines.Select((l, i) => (l, i)).Where(x => Regex.IsMatch(x.l, " (fail|crit):|^(fail|crit):")).Take(5).ToList();
    if (errors.Count == 0) return;
    Console.WriteLine("server log errors:");
    foreach (var (_, i) in errors) foreach (var l in lines.Skip(i).Take(4)) Console.WriteLine("  " + l);
}

static string VmHwm(int pid)
{
    var path = $"/proc/{pid}/status";
    if (!File.Exists(path)) return "n/a";
    var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith("VmHWM:"));
    return line is null ? "n/a" : $"{long.Parse(line[6..].Trim().Split(' ')[0]) / 1024.0:N0} MB";
}

static string Excerpt(string s) => s.Length > 800 ? s[..800] + "…" : s;

// The form as a browser without JavaScript posts it (application/x-www-form-urlencoded), with the page's
// antiforgery token (any of the page's tokens is valid for the signed-in session).
static FormUrlEncodedContent Form(string page, params (string Name, string Value)[] fields)
{
    var match = Regex.Match(page, "<input\\b[^>]*\\bname=\"__RequestVerificationToken\"[^>]*\\bvalue=\"(?<v>[^\"]*)\"");
    if (!match.Success) throw new BenchException("the page has no antiforgery token");
    return new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))
        .Append(new("__RequestVerificationToken", WebUtility.HtmlDecode(match.Groups["v"].Value))));
}

internal sealed class BenchException(string message) : Exception(message);

/// <summary>The sink measured alone: MailKit over one connection, messages built before the clock starts.</summary>
internal static class SinkAlone
{
    public static async Task SendAsync(int port, int count) => await SendAsync(port, Enumerable.Range(1_000_000, count).Select(Build).ToArray());

    public static async Task SendAsync(int port, MimeMessage[] messages)
    {
        using var client = new SmtpClient { LocalDomain = "bench.localhost" };
        await client.ConnectAsync("127.0.0.1", port, SecureSocketOptions.None);
        foreach (var m in messages) await client.SendAsync(m);
        await client.DisconnectAsync(quit: true);
    }

    /// <summary>About the size of the app's invitation email: text + HTML alternatives and a personal link.</summary>
    public static MimeMessage Build(int i)
    {
        var link = $"https://enrollment.example.com/if/flow/invitation-enrollment/?itoken={new Guid(i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)}";
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Enrollment", "no-reply@bench.example.com"));
        message.To.Add(MailboxAddress.Parse($"sink-alone-{i}@example.com"));
        message.Subject = "You have been invited to enrollment.example.com";
        var text = $"Hello,\n\nYou have been invited to create an account. Accept the invitation: {link}\n\n" + string.Concat(Enumerable.Repeat("This line pads the message to the size of the real one. ", 12));
        var html = $"<!DOCTYPE html><html><body><p>Hello,</p><p>You have been invited to create an account.</p><p><a href=\"{link}\">Accept the invitation</a></p>" +
                   string.Concat(Enumerable.Repeat("<p style=\"font-size:12px;color:#6a6e73\">This paragraph pads the message to the size of the real one.</p>", 16)) + "</body></html>";
        message.Body = new BodyBuilder { TextBody = text, HtmlBody = html }.ToMessageBody();
        return message;
    }

    public static long Size(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return stream.Length;
    }
}
