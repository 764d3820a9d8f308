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

    /// <summary>
    /// How many plans that were only shown, never submitted, may exist at once before new ones are no longer stored
    /// (<c>Flows:UnsubmittedPlanLimit</c>). Past it a GET keeps its plan in nothing but the browser's cookie key, and
    /// the POST plans again from the same request and stores it (<see cref="DeferAsync"/>): requests that open a flow
    /// and never submit (crawlers, scripts, a link opened 10,000 times) cannot fill the table, and nobody is refused.
    /// </summary>
    public const int DefaultUnsubmittedPlanLimit = 1000;

    /// <summary>A stored plan's version after its first save: shown, never submitted (submissions save again).</summary>
    private const int ShownOnly = 1;

    private IDisposable? lease;
    private string? cookieKey;
    /// <summary>Plans planned in this request and not stored yet, with the key their browser gets.</summary>
    private readonly Dictionary<Guid, (string Key, string Slug)> fresh = [];
    /// <summary>Fresh plans that took over the key the browser already holds (a deferred plan planned again).</summary>
    private readonly HashSet<Guid> adopted = [];

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
            cookieKey = key;
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

    /// <summary>
    /// A new plan for this browser, with a new key. It is stored (and the key given to the browser) by
    /// <see cref="SaveAsync"/>, or kept in the browser only by <see cref="DeferAsync"/>.
    /// </summary>
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
        fresh[plan.Id] = (key, flow.Slug);
        return plan;
    }

    /// <summary>
    /// True when this browser holds the key of a plan a GET deferred (<see cref="DeferAsync"/>) within the plan
    /// lifetime, and no stored plan: its POST plans the flow again (<see cref="Adopt"/>) instead of ending the session.
    /// </summary>
    public bool HoldsDeferredPlan =>
        DeferredAt(cookieKey) is { } minted && clock.GetUtcNow() - minted < Lifetime;

    /// <summary>The plan, planned again for the browser's deferred key: stored under that key, so a second POST of the browser finds it.</summary>
    public void Adopt(FlowPlan plan)
    {
        if (cookieKey is null || !fresh.TryGetValue(plan.Id, out var planned)) throw new InvalidOperationException("Only a plan planned in this request can take over the browser's key.");
        fresh[plan.Id] = (cookieKey, planned.Slug);
        adopted.Add(plan.Id);
        plan.KeyHash = Identity.ApiTokenAuthenticationHandler.Digest(cookieKey);
        // Stored once it is submitted: it counts as more than shown from then on (see ShownOnly).
        plan.Version = ShownOnly;
    }

    /// <summary>
    /// For a plan planned by this GET that could be planned again from the same request (its stages so far changed
    /// nothing outside it): when the unsubmitted plans are at their limit, leaves it unstored and gives the browser a
    /// key that says so; true then. False: store it (<see cref="SaveAsync"/>).
    /// </summary>
    public async Task<bool> DeferAsync(FlowPlan plan, int limit, CancellationToken ct)
    {
        if (!fresh.TryGetValue(plan.Id, out var planned)) return false;
        if (adopted.Contains(plan.Id)) return KeptInBrowser = true; // the browser holds its key already
        var now = clock.GetUtcNow().UtcDateTime;
        if (await UnsubmittedQuery(db, now, limit, ct) < limit) return false;
        var key = $"d{clock.GetUtcNow().ToUnixTimeSeconds()}.{planned.Key}";
        fresh[plan.Id] = (key, planned.Slug);
        plan.KeyHash = Identity.ApiTokenAuthenticationHandler.Digest(key);
        GiveKey(key, planned.Slug);
        return KeptInBrowser = true;
    }

    /// <summary>
    /// This request's plan was not stored (<see cref="DeferAsync"/>): the form must post back to the same address,
    /// query included, for the POST to plan the same again.
    /// </summary>
    public bool KeptInBrowser { get; private set; }

    private static readonly Func<AppDbContext, DateTime, int, CancellationToken, Task<int>> UnsubmittedQuery =
        EF.CompileAsyncQuery((AppDbContext db, DateTime now, int limit, CancellationToken ct) =>
            db.FlowPlans.Where(p => p.Version == ShownOnly && p.Expires > now).Take(limit).Count());

    /// <summary>When a deferred key was minted; null for any other key (stored plans' keys have no '.').</summary>
    private static DateTimeOffset? DeferredAt(string? key)
    {
        if (key is not ['d', ..]) return null;
        var dot = key.IndexOf('.');
        if (dot < 2) return null;
        return long.TryParse(key.AsSpan(1, dot - 1), System.Globalization.NumberStyles.None, null, out var seconds) && seconds < 1L << 40
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;
    }

    private void GiveKey(string key, string slug)
    {
        var context = http.HttpContext!;
        context.Response.Cookies.Append(CookieName, key, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            Path = $"/if/flow/{slug}/",
            IsEssential = true,
        });
    }

    /// <summary>Saves the plan; false when another request moved it on first (double submit, second tab).</summary>
    public async Task<bool> SaveAsync(FlowPlan plan, CancellationToken ct)
    {
        if (fresh.Remove(plan.Id, out var planned))
        {
            adopted.Remove(plan.Id);
            var entry = db.FlowPlans.Add(plan);
            plan.Version++;
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                entry.State = EntityState.Detached;
                plan.Version--;
                // Another process stored a plan under this browser's key first (a double submit reaching both): that
                // one goes on. Any other failure is an error.
                if (await db.FlowPlans.AnyAsync(p => p.KeyHash == plan.KeyHash, ct)) return false;
                throw;
            }
            entry.State = EntityState.Detached; // written by the UPDATE below from now on, never on the side of a stage's SaveChanges
            loaded[plan.Id] = Snapshot(plan);
            GiveKey(planned.Key, planned.Slug);
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
    /// transaction (the row is locked) and then gets false. True for a plan not stored yet, planned by this request (no
    /// one else can hold it).
    /// </summary>
    public async Task<bool> TakeAsync(FlowPlan plan, CancellationToken ct)
    {
        if (fresh.ContainsKey(plan.Id) || db.Entry(plan).State == EntityState.Added) return true;
        var version = plan.Version;
        var taken = await db.FlowPlans.Where(p => p.Id == plan.Id && p.Version == version)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Version, version + 1), ct);
        if (taken != 1) return false;
        plan.Version = version + 1;
        return true;
    }

    /// <summary>True when another request has saved, taken or ended this stored plan since this request loaded it.</summary>
    public async Task<bool> MovedOnAsync(FlowPlan plan, CancellationToken ct)
    {
        if (fresh.ContainsKey(plan.Id) || db.Entry(plan).State == EntityState.Added) return false;
        var version = await db.FlowPlans.AsNoTracking().Where(p => p.Id == plan.Id).Select(p => (int?)p.Version).SingleOrDefaultAsync(ct);
        return version != plan.Version;
    }

    /// <summary>
    /// Inside the transaction of a write taken with <see cref="TakeAsync"/>: stores the plan as it stands once that write
    /// is done (<paramref name="current"/>, <paramref name="context"/>), so the write and the plan's record of it commit
    /// together. When the answer to the browser is lost after the commit (the process dies, the database goes away
    /// before the next save), the browser's retry finds the plan past the write and goes on from there instead of
    /// writing again. Nothing to do for a plan not stored yet.
    /// </summary>
    public async Task CheckpointAsync(FlowPlan plan, int current, System.Text.Json.Nodes.JsonObject context, CancellationToken ct)
    {
        if (fresh.ContainsKey(plan.Id) || db.Entry(plan).State == EntityState.Added) return;
        var version = plan.Version;
        await db.FlowPlans.Where(p => p.Id == plan.Id && p.Version == version)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Current, current).SetProperty(p => p.Context, context), ct);
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
        var stored = !fresh.Remove(plan.Id);
        adopted.Remove(plan.Id);
        if (stored) await db.FlowPlans.Where(p => p.Id == plan.Id).ExecuteDeleteAsync(ct);
        db.Entry(plan).State = EntityState.Detached;
        var flowPath = http.HttpContext!.Request.Path.Value is { } path && path.StartsWith("/if/flow/", StringComparison.Ordinal) ? path[..(path.IndexOf('/', "/if/flow/".Length) + 1)] : "/";
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
