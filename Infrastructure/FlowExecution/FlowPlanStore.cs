using System.Security.Cryptography;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.FlowExecution;

/// <summary>
/// Plans live in the database; the browser keeps only a random key in a cookie scoped to the flow's path, so any
/// process sharing the database continues the flow, and several flows can run side by side in one browser.
/// </summary>
public sealed class FlowPlanStore(AppDbContext db, IHttpContextAccessor http, TimeProvider clock, FlowDefinitions definitions, PlanLocks locks)
    : IDisposable
{
    public const string CookieName = "enrollment_flow";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    private IDisposable? lease;

    /// <summary>Where this browser's plan led, when it finished moments ago in this process (see <see cref="PlanLocks"/>).</summary>
    public string? FinishedAt { get; private set; }

    /// <summary>
    /// The flow's definition with this browser's plan for it; the plan and the definition stamp come in one query
    /// when the browser has a plan cookie. The plan is not tracked, so a stage's own SaveChanges never writes it on
    /// the side; <see cref="SaveAsync"/> writes it. Until the request ends, no other request of this process runs the
    /// same plan.
    /// </summary>
    public async Task<(FlowDefinition Definition, FlowPlan? Plan)?> LoadAsync(string slug, CancellationToken ct)
    {
        var key = http.HttpContext?.Request.Cookies[CookieName];
        if (!string.IsNullOrEmpty(key) && key.Length <= 100)
        {
            var digest = Identity.ApiTokenAuthenticationHandler.Digest(key);
            lease ??= await locks.EnterAsync(digest, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            if (await PlanQuery(db, digest, slug, now, ct) is { } found && await definitions.GetAsync(db, slug, found.Stamp, ct) is { } withPlan)
            {
                loaded[found.Plan.Id] = Snapshot(found.Plan);
                return (withPlan, found.Plan);
            }
            FinishedAt = locks.FinishedAt(digest);
        }
        return await definitions.GetAsync(db, slug, await StampQuery(db, ct), ct) is { } definition ? (definition, null) : null;
    }

    // Compiled once: every step runs these, and building and looking up the LINQ query cost more than running it.
    private static readonly Func<AppDbContext, string, string, DateTime, CancellationToken, Task<PlanWithStamp?>> PlanQuery =
        EF.CompileAsyncQuery((AppDbContext db, string digest, string slug, DateTime now, CancellationToken ct) =>
            db.FlowPlans.AsNoTracking().Where(p => p.KeyHash == digest && p.Flow.Slug == slug && p.Expires > now)
                .Select(p => new PlanWithStamp
                {
                    Plan = p,
                    Stamp = db.DefinitionStamps.Where(s => s.Id == DefinitionStamp.SingleId).Select(s => s.Version).FirstOrDefault(),
                }).SingleOrDefault());

    private static readonly Func<AppDbContext, CancellationToken, Task<long>> StampQuery =
        EF.CompileAsyncQuery((AppDbContext db, CancellationToken ct) =>
            db.DefinitionStamps.Where(s => s.Id == DefinitionStamp.SingleId).Select(s => s.Version).FirstOrDefault());

    private sealed class PlanWithStamp
    {
        public required FlowPlan Plan { get; init; }
        public required long Stamp { get; init; }
    }

    public FlowPlan Add(Flow flow, IEnumerable<Guid> bindings, System.Text.Json.Nodes.JsonObject context)
    {
        var key = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var plan = new FlowPlan
        {
            KeyHash = Identity.ApiTokenAuthenticationHandler.Digest(key),
            FlowId = flow.Id,
            Bindings = [.. bindings.Select(b => (System.Text.Json.Nodes.JsonNode)b.ToString())],
            Context = context,
            Created = now,
            Expires = now + Lifetime,
        };
        db.FlowPlans.Add(plan);
        var request = http.HttpContext!.Request;
        http.HttpContext.Response.Cookies.Append(CookieName, key, new CookieOptions
        {
            HttpOnly = true,
            Secure = request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = $"/if/flow/{flow.Slug}/",
            IsEssential = true,
        });
        return plan;
    }

    /// <summary>Saves the plan; false when another request moved it on first (double submit, second tab).</summary>
    public async Task<bool> SaveAsync(FlowPlan plan, CancellationToken ct)
    {
        var entry = db.Entry(plan);
        if (entry.State == EntityState.Added)
        {
            plan.Version++;
            await db.SaveChangesAsync(ct);
            entry.State = EntityState.Detached; // written by the UPDATE below from now on, never on the side of a stage's SaveChanges
            loaded[plan.Id] = Snapshot(plan);
            return true;
        }
        // Showing the same stage again changes nothing: no write, so readers do not queue behind writers.
        if (loaded.TryGetValue(plan.Id, out var was) && was == Snapshot(plan)) return true;
        // One UPDATE guarded by the version this request loaded, without the change tracker (which cost more than the write).
        var (version, current, context, bindings) = (plan.Version, plan.Current, plan.Context, plan.Bindings);
        var changed = await db.FlowPlans.Where(p => p.Id == plan.Id && p.Version == version).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Current, current)
            .SetProperty(p => p.Context, context)
            .SetProperty(p => p.Bindings, bindings)
            .SetProperty(p => p.Version, version + 1), ct);
        if (changed == 0) return false;
        plan.Version = version + 1;
        loaded[plan.Id] = Snapshot(plan);
        return true;
    }

    /// <summary>
    /// Takes the plan for a write that must happen once per plan (the user write): moves its version on, guarded by the
    /// version this request loaded, inside the caller's transaction. Of two requests carrying the same plan — a double
    /// submit that reached two instances, which <see cref="PlanLocks"/> cannot see — the second waits for the first's
    /// transaction (the row is locked) and then gets false. True for a plan not saved yet (no one else can hold it).
    /// </summary>
    public async Task<bool> TakeAsync(FlowPlan plan, CancellationToken ct)
    {
        if (db.Entry(plan).State == EntityState.Added) return true;
        var version = plan.Version;
        var taken = await db.FlowPlans.Where(p => p.Id == plan.Id && p.Version == version)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Version, version + 1), ct);
        if (taken != 1) return false;
        plan.Version = version + 1;
        return true;
    }

    /// <summary>
    /// After <see cref="TakeAsync"/> answered false: waits, at most <paramref name="patience"/>, until the request that
    /// took the plan has saved it at its next stage (true) or finished or ended it (false: the plan is gone).
    /// </summary>
    public async Task<bool> WaitForOtherRequestAsync(FlowPlan plan, TimeSpan patience, CancellationToken ct)
    {
        var deadline = clock.GetUtcNow() + patience;
        var taken = plan.Version + 1; // the version the other request's TakeAsync wrote; its next save writes a later one
        while (true)
        {
            var version = await db.FlowPlans.AsNoTracking().Where(p => p.Id == plan.Id).Select(p => (int?)p.Version).SingleOrDefaultAsync(ct);
            if (version is null) return false;
            if (version > taken || clock.GetUtcNow() > deadline) return true;
            await Task.Delay(50, ct);
        }
    }

    /// <summary>The flow is done: the plan goes, and requests queued behind this one are sent to <paramref name="url"/> too.</summary>
    public async Task FinishAsync(FlowPlan plan, string url, CancellationToken ct)
    {
        await RemoveAsync(plan, ct);
        locks.Finished(plan.KeyHash, url);
    }

    public async Task RemoveAsync(FlowPlan plan, CancellationToken ct)
    {
        await db.FlowPlans.Where(p => p.Id == plan.Id).ExecuteDeleteAsync(ct);
        db.Entry(plan).State = EntityState.Detached;
        var flowPath = http.HttpContext!.Request.Path.Value is { } path && path.StartsWith("/if/flow/") ? path[..(path.IndexOf('/', "/if/flow/".Length) + 1)] : "/";
        http.HttpContext.Response.Cookies.Delete(CookieName, new CookieOptions { Path = flowPath });
    }

    /// <summary>
    /// Gives a plan to this browser (an email stage's link opened in another browser or after the tab was closed): a
    /// new key in this browser's cookie and its digest on the plan, so the browser that held the plan before no
    /// longer does. Nothing changes when this browser holds it already. False when the plan is gone.
    /// </summary>
    public async Task<bool> GiveToThisBrowserAsync(Guid planId, string slug, CancellationToken ct)
    {
        var context = http.HttpContext!;
        var held = context.Request.Cookies[CookieName];
        if (!string.IsNullOrEmpty(held) && held.Length <= 100)
        {
            var heldDigest = Identity.ApiTokenAuthenticationHandler.Digest(held);
            if (await db.FlowPlans.AnyAsync(p => p.Id == planId && p.KeyHash == heldDigest, ct)) return true;
        }
        var key = Base64Url(RandomNumberGenerator.GetBytes(32));
        var digest = Identity.ApiTokenAuthenticationHandler.Digest(key);
        // Version moves too: a request of the other browser that loaded the plan before cannot save it any more.
        var changed = await db.FlowPlans.Where(p => p.Id == planId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.KeyHash, digest).SetProperty(p => p.Version, p => p.Version + 1), ct);
        if (changed != 1) return false;
        context.Response.Cookies.Append(CookieName, key, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = $"/if/flow/{slug}/",
            IsEssential = true,
        });
        return true;
    }

    private readonly Dictionary<Guid, (int Current, string Context, string Bindings)> loaded = [];

    private static (int, string, string) Snapshot(FlowPlan plan) => (plan.Current, plan.Context.ToJsonString(), plan.Bindings.ToJsonString());

    public void Dispose() => lease?.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
