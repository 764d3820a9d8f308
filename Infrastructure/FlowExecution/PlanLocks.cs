namespace Enrollment.Infrastructure.FlowExecution;

/// <summary>
/// One request at a time per plan in this process, and where each recently finished plan led.
/// </summary>
/// <remarks>
/// A valid POST runs the stages without a form that follow it (user write, user login) before it answers. A second
/// request of the same browser meanwhile — a double click on Continue, a refresh — would run them a second time
/// beside the first and show its loser's page ("already used", "username taken") although the enrollment worked.
/// Behind this lock it waits, then finds the plan finished and goes where the first went. Requests of one browser
/// reach one process in practice (keep-alive); should two reach two processes, the database still lets only one of
/// them write the user (the invitation is consumed atomically, usernames are unique) and the other is told why.
/// </remarks>
public sealed class PlanLocks(TimeProvider clock)
{
    /// <summary>How long a finished plan's destination is remembered: enough for the requests that queued behind it.</summary>
    public static readonly TimeSpan RememberFinished = TimeSpan.FromMinutes(2);

    private sealed class Entry
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public int Users;
    }

    private readonly Dictionary<string, Entry> held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Url, DateTimeOffset Until)> finished = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset Until)> finishedOrder = new(); // oldest first: all live equally long

    /// <summary>Waits for the plan of <paramref name="keyDigest"/>; disposing the lease lets the next request in.</summary>
    public async Task<IDisposable> EnterAsync(string keyDigest, CancellationToken ct)
    {
        Entry entry;
        lock (held)
        {
            if (!held.TryGetValue(keyDigest, out entry!)) held[keyDigest] = entry = new Entry();
            entry.Users++;
        }
        try
        {
            await entry.Gate.WaitAsync(ct);
        }
        catch
        {
            Leave(keyDigest, entry, release: false);
            throw;
        }
        return new Lease(this, keyDigest, entry);
    }

    private void Leave(string keyDigest, Entry entry, bool release)
    {
        if (release) entry.Gate.Release();
        lock (held)
        {
            if (--entry.Users == 0) held.Remove(keyDigest);
        }
    }

    private sealed class Lease(PlanLocks locks, string keyDigest, Entry entry) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) locks.Leave(keyDigest, entry, release: true);
        }
    }

    public void Finished(string keyDigest, string url)
    {
        var now = clock.GetUtcNow();
        lock (finished)
        {
            while (finishedOrder.TryPeek(out var oldest) && oldest.Until <= now)
            {
                finishedOrder.Dequeue();
                if (finished.TryGetValue(oldest.Key, out var f) && f.Until <= now) finished.Remove(oldest.Key); // unless finished again since
            }
            finished[keyDigest] = (url, now + RememberFinished);
            finishedOrder.Enqueue((keyDigest, now + RememberFinished));
        }
    }

    /// <summary>Where the finished plan of <paramref name="keyDigest"/> led, if it finished in the last two minutes.</summary>
    public string? FinishedAt(string keyDigest)
    {
        lock (finished)
            return finished.TryGetValue(keyDigest, out var f) && f.Until > clock.GetUtcNow() ? f.Url : null;
    }
}
