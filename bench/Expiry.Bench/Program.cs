// Invitation expiry benchmark: a fresh SQLite database in a temporary data directory, migrated the way
// the app migrates at start-up (WAL, the app's migrations, the app's SqliteBusyTimeout interceptor on every
// connection), filled with --expired invitations whose expiry has passed (default 1,000,000), --unexpired ones
// (10,000), --forever ones without expiry (1,000) and invitation_deliveries rows pointing at both expired
// (--deliveries, 10,000) and unexpired invitations (1,000). Then the app's own expiry job runs once, as Hangfire
// runs it: ExpireInvitationsJob activated in a DI scope of the app's registrations, sending
// ExpireInvitations.Command through the app's Mediator. Only the job is timed; the result is checked afterwards.
//
// Expiry times are random (up to a year ago), so the rows' physical order has nothing to do with their expiry:
// the worst case for the delete. --layout chronological inserts them in expiry order instead (as invitations
// created over time with one lifetime would lie).
//
//   dotnet run -c Release -- [--expired 1000000] [--unexpired 10000] [--forever 1000] [--deliveries 10000]
//                            [--layout random|chronological] [--show-sql] [--keep]
//                            [--setup-only]   fill, keep the database, do not run the job
//                            [--from DB]      run the job on a copy of a database kept by --setup-only
using System.Data.Common;
using System.Diagnostics;
using Enrollment.Domain;
using Enrollment.Features.Invitations.ExpireInvitations;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var expired = 1_000_000;
var unexpired = 10_000;
var forever = 1_000;
var deliveries = 10_000;
var chronological = false;
var showSql = false;
var keep = false;
var setupOnly = false;
string? from = null;
for (var i = 0; i < args.Length; i++)
{
    bool Int(ref int target) => i + 1 < args.Length && int.TryParse(args[++i], out target) && target >= 0;
    var ok = args[i] switch
    {
        "--expired" => Int(ref expired),
        "--unexpired" => Int(ref unexpired),
        "--forever" => Int(ref forever),
        "--deliveries" => Int(ref deliveries),
        "--layout" => i + 1 < args.Length && (args[++i] is "random" or "chronological") && ((chronological = args[i] == "chronological") || true),
        "--show-sql" => showSql = true,
        "--keep" => keep = true,
        "--setup-only" => keep = setupOnly = true,
        "--from" => i + 1 < args.Length && File.Exists(from = args[++i]),
        _ => false,
    };
    if (!ok || (i == args.Length - 1 && from is null && deliveries > expired))
    {
        Console.Error.WriteLine("usage: Expiry.Bench [--expired 1000000] [--unexpired 10000] [--forever 1000] [--deliveries 10000 (<= expired)] " +
                                "[--layout random|chronological] [--show-sql] [--keep] [--setup-only | --from DB]");
        return 2;
    }
}

var data = Path.Combine(Path.GetTempPath(), "enrollment-expiry-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(data);
try
{
    if (from is not null) File.Copy(from, Path.Combine(data, "enrollment.db"));

    // The app's registrations for this slice: database (SQLite default + interceptor), Mediator (scoped, as in
    // Program.cs), the clock, and the web area's AuditTrail (with its IHttpContextAccessor).
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", ContentRootPath = data });
    builder.Logging.ClearProviders();
    if (showSql)
    {
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.AddFilter((category, level) => Show.Sql && category == DbLoggerCategory.Database.Command.Name && level >= LogLevel.Information);
    }
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["DataDirectory"] = data });
    builder.Services.AddEnrollmentDatabase(DatabaseSettings.From(builder.Configuration, data));
    builder.Services.AddMediator(o => o.ServiceLifetime = ServiceLifetime.Scoped);
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddEnrollmentWeb();
    builder.Services.AddSingleton<Enrollment.Infrastructure.Telemetry.EnrollmentMetrics>(); // the expiry handler counts what it deletes
    using var host = builder.Build();
    await host.Services.MigrateDatabaseAsync();

    await using (var scope = host.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var version = await db.Database.SqlQueryRaw<string>("SELECT sqlite_version() AS Value").SingleAsync();
        Console.WriteLine($"Invitation expiry bench: {Environment.ProcessorCount} cores, SQLite {version} in {data}");
    }

    if (from is null)
    {
        var setup = Stopwatch.StartNew();
        await FillAsync(host.Services, expired, unexpired, forever, deliveries, chronological);
        Console.WriteLine($"set-up: {expired:N0} expired ({(chronological ? "chronological" : "random")} layout), {unexpired:N0} unexpired, " +
                          $"{forever:N0} without expiry invitations, {deliveries:N0} deliveries on expired and {Math.Min(1_000, unexpired):N0} on unexpired ones; " +
                          $"{setup.Elapsed.TotalSeconds:F1} s");
    }

    // What the job should do, read through EF with the job's own predicate (so the set-up's formats are EF's).
    var now = DateTime.UtcNow;
    Expected expect;
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        expect = new Expected(
            Due: await db.Invitations.CountAsync(i => i.Expires != null && i.Expires <= now),
            Live: await db.Invitations.CountAsync(i => i.Expires != null && i.Expires > now),
            Forever: await db.Invitations.CountAsync(i => i.Expires == null),
            DueDeliveries: await db.InvitationDeliveries.CountAsync(d => d.Invitation.Expires <= now),
            LiveDeliveries: await db.InvitationDeliveries.CountAsync(d => d.Invitation.Expires > now),
            Probe: await db.InvitationDeliveries.Where(d => d.Invitation.Expires <= now).Select(d => (Guid?)d.InvitationId).FirstOrDefaultAsync(),
            Events: await db.Events.CountAsync(e => e.Action == "invitation_expired"));
        if (from is null && (expect.Due != expired || expect.Live != unexpired || expect.Forever != forever
                             || expect.DueDeliveries != deliveries || expect.LiveDeliveries != Math.Min(1_000, unexpired)))
        {
            Console.Error.WriteLine($"set-up check failed: {expect}");
            return 1;
        }
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }
    var fileMb = new FileInfo(Path.Combine(data, "enrollment.db")).Length / 1048576.0;
    Console.WriteLine($"database: {fileMb:F0} MB; {expect.Due:N0} expired, {expect.Live:N0} unexpired and {expect.Forever:N0} without expiry invitations, " +
                      $"{expect.DueDeliveries:N0} deliveries on expired and {expect.LiveDeliveries:N0} on unexpired ones");
    if (setupOnly)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Console.WriteLine($"kept for --from: {Path.Combine(data, "enrollment.db")}");
        return 0;
    }

    await using (var scope = host.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var plan = connection.CreateCommand();
        plan.CommandText = "EXPLAIN QUERY PLAN DELETE FROM invitations WHERE expires IS NOT NULL AND expires <= $now";
        Parameter(plan, "$now").Value = Sql.Time(now);
        await using var reader = await plan.ExecuteReaderAsync();
        while (await reader.ReadAsync()) Console.WriteLine($"query plan (the job's predicate): {reader.GetString(3)}");
    }

    GC.Collect();
    var self = Process.GetCurrentProcess();
    self.Refresh();
    var peakBefore = self.PeakWorkingSet64;
    var cpuBefore = self.TotalProcessorTime;
    var userBefore = self.UserProcessorTime;

    // The job, as Hangfire's ASP.NET Core activator runs it: a new DI scope, the job class built from it.
    Show.Sql = showSql;   // the job's SQL only
    var clock = Stopwatch.StartNew();
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var job = ActivatorUtilities.CreateInstance<ExpireInvitationsJob>(scope.ServiceProvider);
        await job.RunAsync(CancellationToken.None);
    }
    clock.Stop();
    Show.Sql = false;
    self.Refresh();
    var cpu = self.TotalProcessorTime - cpuBefore;
    var sqliteMemory = SQLitePCL.raw.sqlite3_memory_used();
    var sqlitePeak = SQLitePCL.raw.sqlite3_memory_highwater(0);

    // Exactly the expired rows are gone, the rest stays, one event counts them, their deliveries went with them.
    var failures = new List<string>();
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var leftDue = await db.Invitations.CountAsync(i => i.Expires != null && i.Expires <= now);
        var leftLive = await db.Invitations.CountAsync(i => i.Expires != null && i.Expires > now);
        var leftForever = await db.Invitations.CountAsync(i => i.Expires == null);
        if (leftDue != 0) failures.Add($"{leftDue:N0} expired invitations left");
        if (leftLive != expect.Live) failures.Add($"{leftLive:N0} unexpired invitations left, expected {expect.Live:N0}");
        if (leftForever != expect.Forever) failures.Add($"{leftForever:N0} invitations without expiry left, expected {expect.Forever:N0}");
        var events = await db.Events.AsNoTracking().Where(e => e.Action == "invitation_expired").OrderByDescending(e => e.Created).ToListAsync();
        if (events.Count != expect.Events + 1) failures.Add($"{events.Count - expect.Events} new invitation_expired events, expected 1");
        else if ((int?)events[0].Context["count"] != expect.Due) failures.Add($"the event counts {events[0].Context["count"]}, expected {expect.Due:N0}");
        // Left: exactly the deliveries of unexpired invitations, none pointing at a missing invitation.
        var allDeliveries = await db.InvitationDeliveries.CountAsync();
        var liveLeft = await db.InvitationDeliveries.CountAsync(d => d.Invitation.Expires > now);
        var orphans = await db.InvitationDeliveries.CountAsync(d => !db.Invitations.Any(i => i.Id == d.InvitationId));
        var probeGone = expect.Probe is not { } probe || !await db.InvitationDeliveries.AnyAsync(d => d.InvitationId == probe);
        if (allDeliveries != expect.LiveDeliveries || liveLeft != expect.LiveDeliveries || orphans != 0 || !probeGone)
            failures.Add($"deliveries: {allDeliveries:N0} left (expected {expect.LiveDeliveries:N0}), {liveLeft:N0} of unexpired invitations, {orphans:N0} orphaned");
        if (await db.Flows.CountAsync() < 1 || await db.Users.CountAsync() < 1) failures.Add("the flow or the user went too");
        // The job gives its larger page cache back: the pooled connection it used is this one again.
        var cacheSize = await db.Database.SqlQueryRaw<long>("SELECT cache_size AS Value FROM pragma_cache_size()").SingleAsync();
        if (cacheSize != -2000) failures.Add($"the pooled connection kept cache_size {cacheSize} (SQLite's default is -2000)");
    }

    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"expiry job: {expect.Due:N0} invitations (+ {expect.DueDeliveries:N0} deliveries) removed in {seconds:F2} s, " +
                      $"{expect.Due / seconds:N0} rows/s; process CPU {cpu.TotalSeconds:F2} s (user {(self.UserProcessorTime - userBefore).TotalSeconds:F2} s)");
    Console.WriteLine($"peak working set: {self.PeakWorkingSet64 / 1048576.0:F0} MB (process, set-up included; {peakBefore / 1048576.0:F0} MB before the job); " +
                      $"working set after the job {self.WorkingSet64 / 1048576.0:F0} MB; SQLite's own allocations: peak {sqlitePeak / 1048576.0:F0} MB, " +
                      $"{sqliteMemory / 1048576.0:F0} MB after the job (the freed cache stays in the process's heap)");
    if (failures.Count > 0)
    {
        foreach (var f in failures) Console.Error.WriteLine("check failed: " + f);
        return 1;
    }
    Console.WriteLine($"check: {expect.Due:N0} expired gone, {expect.Live:N0} unexpired and {expect.Forever:N0} without expiry kept, " +
                      $"one invitation_expired event with count {expect.Due:N0}, their {expect.DueDeliveries:N0} deliveries gone, {expect.LiveDeliveries:N0} others kept");
    Console.WriteLine($"target: under 10 s — {(seconds < 10 ? "met" : "MISSED")}");
    return 0;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    if (!keep) try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    else Console.WriteLine($"kept {data}");
}

// Set-up only: raw SQL, one transaction, prepared commands, values in EF's own SQLite formats (the counts above
// are read back through EF with the job's predicate). Unexpired invitations expire 30–60 days from now, so a kept
// database stays valid for --from for a month.
static async Task FillAsync(IServiceProvider services, int expired, int unexpired, int forever, int deliveries, bool chronological)
{
    var now = DateTime.UtcNow;
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    var flow = new Flow { Name = "Expiry bench", Slug = "expiry-bench", Title = "Expiry bench" };
    var user = new User { UserName = "expiry-bench", NormalizedUserName = "EXPIRY-BENCH", Name = "Expiry bench" };
    db.Add(flow);
    db.Add(user);
    await db.SaveChangesAsync();

    await db.Database.OpenConnectionAsync();
    var connection = db.Database.GetDbConnection();
    await using var tx = await connection.BeginTransactionAsync();
    await using var insert = connection.CreateCommand();
    insert.Transaction = tx;
    insert.CommandText = """
        INSERT INTO invitations (id, name, expires, flow_id, single_use, fixed_data, created_by_id, created, uses, last_used)
        VALUES ($id, $name, $expires, $flow, 1, $fixed, $user, $created, 0, NULL)
        """;
    var pId = Parameter(insert, "$id");
    var pName = Parameter(insert, "$name");
    var pExpires = Parameter(insert, "$expires");
    Parameter(insert, "$flow").Value = Sql.Guid(flow.Id);
    var pFixed = Parameter(insert, "$fixed");
    Parameter(insert, "$user").Value = user.Id;
    var pCreated = Parameter(insert, "$created");
    insert.Prepare();

    var random = new Random(5);
    var pastSeconds = Enumerable.Range(0, expired).Select(_ => 1 + random.Next(0, 365 * 24 * 3600)).ToArray();   // up to a year ago
    if (chronological) Array.Sort(pastSeconds, (a, b) => b.CompareTo(a));
    var every = Math.Max(1, expired / Math.Max(1, deliveries));
    var liveDeliveries = Math.Min(1_000, unexpired);
    var withDelivery = new List<Guid>(deliveries + liveDeliveries);
    var total = expired + unexpired + forever;
    for (var n = 0; n < total; n++)
    {
        var id = Guid.NewGuid();
        DateTime? expires;
        if (n < expired)
        {
            expires = now.AddSeconds(-pastSeconds[n]);
            if (n % every == 0 && withDelivery.Count < deliveries) withDelivery.Add(id);
        }
        else if (n < expired + unexpired)
        {
            expires = now.AddDays(30).AddSeconds(random.Next(0, 30 * 24 * 3600));
            if (n - expired < liveDeliveries) withDelivery.Add(id);
        }
        else expires = null;
        pId.Value = Sql.Guid(id);
        pName.Value = $"bench-invitation-{n}";
        pExpires.Value = expires is { } e ? Sql.Time(e) : DBNull.Value;
        pFixed.Value = $$"""{"email":"invitee-{{n}}@example.com"}""";
        pCreated.Value = Sql.Time((expires ?? now).AddDays(-7));
        await insert.ExecuteNonQueryAsync();
    }

    await using var delivery = connection.CreateCommand();
    delivery.Transaction = tx;
    delivery.CommandText = """
        INSERT INTO invitation_deliveries (id, invitation_id, email, cc, bcc, template, base_url, bulk_invitation_id, requested_by_id,
                                           state, attempts, last_error, created, last_attempt, next_attempt, sent)
        VALUES ($id, $invitation, $email, '[]', '[]', NULL, 'http://localhost', NULL, $user, $state, 1, NULL, $created, $created, NULL, $created)
        """;
    var dId = Parameter(delivery, "$id");
    var dInvitation = Parameter(delivery, "$invitation");
    var dEmail = Parameter(delivery, "$email");
    Parameter(delivery, "$user").Value = user.Id;
    Parameter(delivery, "$state").Value = Wire.Name(DeliveryState.Sent);
    Parameter(delivery, "$created").Value = Sql.Time(now.AddDays(-400));
    delivery.Prepare();
    var k = 0;
    foreach (var invitation in withDelivery)
    {
        dId.Value = Sql.Guid(Guid.NewGuid());
        dInvitation.Value = Sql.Guid(invitation);
        dEmail.Value = $"invitee-{k++}@example.com";
        await delivery.ExecuteNonQueryAsync();
    }
    await tx.CommitAsync();
    await db.Database.CloseConnectionAsync();
}

static DbParameter Parameter(DbCommand command, string name)
{
    var p = command.CreateParameter();
    p.ParameterName = name;
    command.Parameters.Add(p);
    return p;
}

internal sealed record Expected(int Due, int Live, int Forever, int DueDeliveries, int LiveDeliveries, Guid? Probe, int Events);

internal static class Show
{
    public static volatile bool Sql;
}

/// <summary>EF Core's SQLite storage formats: TEXT timestamps <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>, upper-case TEXT GUIDs.</summary>
internal static class Sql
{
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
    public static string Guid(Guid id) => id.ToString().ToUpperInvariant();
}
