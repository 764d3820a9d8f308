using System.Collections.Concurrent;
using Enrollment.Infrastructure.Data;

namespace Enrollment.Infrastructure.FlowExecution;

/// <summary>
/// Flow definitions kept in memory by this process. Every step reads its flow's definition, and loading it is the
/// costliest SQL of a step, while admins change definitions rarely. Each request reads the database's definition
/// stamp (with its plan, in the same query) and passes it here; triggers move the stamp in any transaction that
/// writes a definition table (<see cref="DefinitionStampTriggers"/>), so a change made anywhere — this process,
/// another one, a blueprint, plain SQL — is seen by the next request, as when the definition was read every time.
/// </summary>
public sealed class FlowDefinitions(IFlowDefinitionLoader loader)
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
        var loaded = await loader.LoadAsync(db, slug, ct);
        if (loaded is not null) generation.Flows.TryAdd(slug, loaded);
        return loaded;
    }
}
