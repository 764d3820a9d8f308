// Invitation expiry benchmark (issue 5): a fresh SQLite database in a temporary data directory, migrated the way
// the app migrates at start-up (WAL, the app's migrations, the app's SqliteBusyTimeout interceptor on every
// connection), filled with --expired invitations whose expiry has passed (default 1,000,000), --unexpired ones
// (10,000), --forever ones without expiry (1,000) and invitation_deliveries rows pointing at both expired
// (--deliveries, 10,000) and unexpired invitations (1,000). Then the app's own expiry job runs once, as Hangfire
// runs it: ExpireInvitationsJob activated in a DI scope of the app's registrations, sending
// ExpireInvitations.Command through the app's Mediator. Only the job is timed; the result is checked afterwards.
//
//   dotnet run -c Release -- [--expired 1000000] [--unexpired 10000] [--forever 1000] [--deliveries 10000]
//                            [--show-sql] [--keep]
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
var showSql = false;
var keep = false;
for (var i = 0; i < args.Length; i++)
{
    bool Int(ref int target) => i + 1 < args.Length && int.TryParse(args[++i], out target) && target >= 0;
    var ok = args[i] switch
    {
        "--expired" => Int(ref expired),
        "--unexpired" => Int(ref unexpired),
        "--forever" => Int(ref forever),
        "--deliveries" => Int(ref deliveries),
        "--show-sql" => showSql = true,
        "--keep" => keep = true,
        _ => false,
    };
    if (!ok || deliveries > expired)
    {
        Console.Error.WriteLine("usage: Expiry.Bench [--expired 1000000] [--unexpired 10000] [--forever 1000] [--deliveries 10000 (<= expired)] [--show-sql] [--keep]");
        return 2;
    }
}
var liveDeliveries = Math.Min(1_000, unexpired);

var data = Path.Combine(Path.GetTempPath(), "enrollment-expiry-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(data);
try
{
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
    using var host = builder.Build();
    await host.Services.MigrateDatabaseAsync();

    Console.WriteLine($"Invitation expiry bench: {Environment.ProcessorCount} cores, SQLite in {data}");
    var now = DateTime.UtcNow;
    var setup = Stopwatch.StartNew();
    Guid flowId;
    int userId;
    var expiredWithDelivery = new List<Guid>(deliveries);
    var liveWithDelivery = new List<Guid>(liveDeliveries);
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var flow = new Flow { Name = "Expiry bench", Slug = "expiry-bench", Title = "Expiry bench" };
        var user = new User { UserName = "expiry-bench", NormalizedUserName = "EXPIRY-BENCH", Name = "Expiry bench" };
        db.Add(flow);
        db.Add(user);
        await db.SaveChangesAsync();
        (flowId, userId) = (flow.Id, user.Id);

        // Set-up only: raw SQL, one transaction, prepared commands; values in EF's own SQLite formats (checked below
        // through EF queries).
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
        Parameter(insert, "$flow").Value = Sql.Guid(flowId);
        var pFixed = Parameter(insert, "$fixed");
        Parameter(insert, "$user").Value = userId;
        var pCreated = Parameter(insert, "$created");
        insert.Prepare();

        var random = new Random(5);
        var total = expired + unexpired + forever;
        for (var n = 0; n < total; n++)
        {
            var id = Guid.NewGuid();
            DateTime? expires;
            if (n < expired)
            {
                expires = now.AddSeconds(-1 - random.Next(0, 365 * 24 * 3600));   // up to a year ago
                if (expiredWithDelivery.Count < deliveries && n % Math.Max(1, expired / Math.Max(1, deliveries)) == 0) expiredWithDelivery.Add(id);
            }
            else if (n < expired + unexpired)
            {
                expires = now.AddSeconds(3600 + random.Next(0, 30 * 24 * 3600)); // in 1 h to 30 days
                if (liveWithDelivery.Count < liveDeliveries) liveWithDelivery.Add(id);
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
            INSERT INTO invitation_deliveries (id, invitation_id, email, cc, bcc, template, bulk_invitation_id, requested_by_id,
                                               state, attempts, last_error, created, last_attempt, next_attempt, sent)
            VALUES ($id, $invitation, $email, '[]', '[]', NULL, NULL, $user, $state, 1, NULL, $created, $created, NULL, $created)
            """;
        var dId = Parameter(delivery, "$id");
        var dInvitation = Parameter(delivery, "$invitation");
        var dEmail = Parameter(delivery, "$email");
        Parameter(delivery, "$user").Value = userId;
        Parameter(delivery, "$state").Value = Wire.Name(DeliveryState.Sent);
        Parameter(delivery, "$created").Value = Sql.Time(now.AddDays(-400));
        delivery.Prepare();
        var k = 0;
        foreach (var invitation in expiredWithDelivery.Concat(liveWithDelivery))
        {
            dId.Value = Sql.Guid(Guid.NewGuid());
            dInvitation.Value = Sql.Guid(invitation);
            dEmail.Value = $"invitee-{k++}@example.com";
            await delivery.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        await db.Database.CloseConnectionAsync();
    }
    setup.Stop();

    // The rows are what EF sees: the job's own predicate finds exactly the expired ones, ids round-trip.
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var due = await db.Invitations.CountAsync(i => i.Expires != null && i.Expires <= now);
        var all = await db.Invitations.CountAsync();
        var probe = await db.Invitations.AsNoTracking().Where(i => i.Id == expiredWithDelivery.FirstOrDefault()).Select(i => i.Name).SingleOrDefaultAsync();
        var linked = await db.InvitationDeliveries.CountAsync();
        if (due != expired || all != expired + unexpired + forever || linked != expiredWithDelivery.Count + liveWithDelivery.Count
            || (expiredWithDelivery.Count > 0 && probe is null))
        {
            Console.Error.WriteLine($"set-up check failed: {due} due, {all} in all, {linked} deliveries, probe {probe ?? "not found"}");
            return 1;
        }
        await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);");
    }
    var fileMb = new FileInfo(Path.Combine(data, "enrollment.db")).Length / 1048576.0;
    Console.WriteLine($"set-up: {expired:N0} expired, {unexpired:N0} unexpired, {forever:N0} without expiry; " +
                      $"{expiredWithDelivery.Count:N0} deliveries on expired and {liveWithDelivery.Count:N0} on unexpired invitations; " +
                      $"{setup.Elapsed.TotalSeconds:F1} s, database {fileMb:F0} MB");
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
    var before = Process.GetCurrentProcess();
    before.Refresh();
    var peakBefore = before.PeakWorkingSet64;

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
    var self = Process.GetCurrentProcess();
    self.Refresh();

    // Exactly the expired rows are gone, the rest stays, one event counts them, their deliveries went with them.
    await using (var scope = host.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var failures = new List<string>();
        var left = await db.Invitations.CountAsync();
        var leftDue = await db.Invitations.CountAsync(i => i.Expires != null && i.Expires <= now);
        var leftLive = await db.Invitations.CountAsync(i => i.Expires != null && i.Expires > now);
        var leftForever = await db.Invitations.CountAsync(i => i.Expires == null);
        if (left != unexpired + forever) failures.Add($"{left:N0} invitations left, expected {unexpired + forever:N0}");
        if (leftDue != 0) failures.Add($"{leftDue:N0} expired invitations left");
        if (leftLive != unexpired) failures.Add($"{leftLive:N0} unexpired invitations left, expected {unexpired:N0}");
        if (leftForever != forever) failures.Add($"{leftForever:N0} invitations without expiry left, expected {forever:N0}");
        var events = await db.Events.AsNoTracking().Where(e => e.Action == "invitation_expired").ToListAsync();
        if (events.Count != 1) failures.Add($"{events.Count} invitation_expired events, expected 1");
        else if ((int?)events[0].Context["count"] != expired) failures.Add($"the event counts {events[0].Context["count"]}, expected {expired:N0}");
        // Left: exactly the deliveries of unexpired invitations, none pointing at a missing invitation.
        var allDeliveries = await db.InvitationDeliveries.CountAsync();
        var liveLeft = await db.InvitationDeliveries.CountAsync(d => d.Invitation.Expires > now);
        var orphans = await db.InvitationDeliveries.CountAsync(d => !db.Invitations.Any(i => i.Id == d.InvitationId));
        var probeGone = expiredWithDelivery.Count == 0 || !await db.InvitationDeliveries.AnyAsync(d => d.InvitationId == expiredWithDelivery[0]);
        if (allDeliveries != liveWithDelivery.Count || liveLeft != liveWithDelivery.Count || orphans != 0 || !probeGone)
            failures.Add($"deliveries: {allDeliveries:N0} left (expected {liveWithDelivery.Count:N0}), {liveLeft:N0} of unexpired invitations, {orphans:N0} orphaned");
        if (await db.Flows.CountAsync(f => f.Id == flowId) != 1 || await db.Users.CountAsync(u => u.Id == userId) != 1)
            failures.Add("the flow or the user went too");

        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"expiry job: {expired:N0} invitations (+ {expiredWithDelivery.Count:N0} deliveries) removed in {seconds:F2} s, {expired / seconds:N0} rows/s");
        Console.WriteLine($"peak working set: {self.PeakWorkingSet64 / 1048576.0:F0} MB (process, set-up included; {peakBefore / 1048576.0:F0} MB before the job); " +
                          $"working set after the job {self.WorkingSet64 / 1048576.0:F0} MB");
        if (failures.Count > 0)
        {
            foreach (var f in failures) Console.Error.WriteLine("check failed: " + f);
            return 1;
        }
        Console.WriteLine($"check: {expired:N0} expired gone, {unexpired:N0} unexpired and {forever:N0} without expiry kept, one invitation_expired event with count {expired:N0}, cascaded deliveries gone, {liveWithDelivery.Count:N0} kept");
        Console.WriteLine($"target: under 10 s — {(seconds < 10 ? "met" : "MISSED")}");
    }
    return 0;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    if (!keep) try { Directory.Delete(data, recursive: true); } catch (IOException) { }
    else Console.WriteLine($"kept {data}");
}

static DbParameter Parameter(DbCommand command, string name)
{
    var p = command.CreateParameter();
    p.ParameterName = name;
    command.Parameters.Add(p);
    return p;
}

static class Show
{
    public static volatile bool Sql;
}

/// <summary>EF Core's SQLite storage formats: TEXT timestamps <c>yyyy-MM-dd HH:mm:ss.FFFFFFF</c>, upper-case TEXT GUIDs.</summary>
static class Sql
{
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
    public static string Guid(Guid id) => id.ToString().ToUpperInvariant();
}
