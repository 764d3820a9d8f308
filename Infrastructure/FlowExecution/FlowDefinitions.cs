using System.Collections.Concurrent;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.FlowExecution;

/// <summary>
/// A flow as its steps read it: the flow, its policy bindings, and its stage bindings in order, each with its
/// stage (a prompt stage's fields in order and validation policies) and its enabled policy bindings in order.
/// Shared by concurrent requests: nothing may change these objects.
/// </summary>
public sealed class FlowDefinition
{
    private readonly Dictionary<Guid, FlowStageBinding> byId;

    public FlowDefinition(Flow flow, IReadOnlyList<FlowStageBinding> bindings, IReadOnlyList<PolicyBinding> flowPolicies)
    {
        (Flow, Bindings, FlowPolicies) = (flow, bindings, flowPolicies);
        byId = bindings.ToDictionary(b => b.Id);
    }

    public Flow Flow { get; }
    public IReadOnlyList<FlowStageBinding> Bindings { get; }
    /// <summary>The flow's own enabled policy bindings, in order.</summary>
    public IReadOnlyList<PolicyBinding> FlowPolicies { get; }

    /// <summary>Null when an admin has unbound it since the plan was made.</summary>
    public FlowStageBinding? Binding(Guid id) => byId.GetValueOrDefault(id);
}

/// <summary>
/// Flow definitions kept in memory by this process. Every step reads its flow's definition, and loading it is the
/// costliest SQL of a step, while admins change definitions rarely. Each request reads the database's definition
/// stamp (with its plan, in the same query) and passes it here; triggers move the stamp in any transaction that
/// writes a definition table (<see cref="DefinitionStampTriggers"/>), so a change made anywhere — this process,
/// another one, a blueprint, plain SQL — is seen by the next request, as when the definition was read every time.
/// </summary>
public sealed class FlowDefinitions
{
    private sealed record Generation(long Stamp, ConcurrentDictionary<string, FlowDefinition> Flows);

    private Generation current = new(long.MinValue, new(StringComparer.Ordinal));

    public async Task<FlowDefinition?> GetAsync(AppDbContext db, string slug, long stamp, CancellationToken ct)
    {
        var generation = Volatile.Read(ref current);
        while (generation.Stamp < stamp)
        {
            // A request that read an older stamp may race us here; the newest stamp wins, the old flows are dropped.
            var fresh = new Generation(stamp, new(StringComparer.Ordinal));
            var seen = Interlocked.CompareExchange(ref current, fresh, generation);
            generation = ReferenceEquals(seen, generation) ? fresh : seen;
        }
        if (generation.Flows.TryGetValue(slug, out var cached)) return cached;
        // Loaded after the stamp was read, so never older than it. Unknown slugs are not kept (anyone can ask for them).
        var loaded = await LoadAsync(db, slug, ct);
        if (loaded is not null) generation.Flows.TryAdd(slug, loaded);
        return loaded;
    }

    private static async Task<FlowDefinition?> LoadAsync(AppDbContext db, string slug, CancellationToken ct)
    {
        if (await db.Flows.AsNoTracking().SingleOrDefaultAsync(f => f.Slug == slug, ct) is not { } flow) return null;
        var bindings = await db.FlowStageBindings.AsNoTracking().AsSingleQuery()
            .Where(b => b.FlowId == flow.Id)
            .Include(b => b.PolicyBindings.Where(p => p.Enabled).OrderBy(p => p.Order)).ThenInclude(p => p.Policy)
            .Include(b => b.Stage).ThenInclude(s => ((PromptStage)s).Fields.OrderBy(p => p.Order).ThenBy(p => p.Name))
            .Include(b => b.Stage).ThenInclude(s => ((PromptStage)s).ValidationPolicies)
            .OrderBy(b => b.Order).ThenBy(b => b.Id)
            .ToListAsync(ct);
        var flowPolicies = await db.PolicyBindings.AsNoTracking().Include(p => p.Policy)
            .Where(p => p.Enabled && p.FlowId == flow.Id).OrderBy(p => p.Order).ToListAsync(ct);
        return new FlowDefinition(flow, bindings, flowPolicies);
    }
}
