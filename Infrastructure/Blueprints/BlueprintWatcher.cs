using Enrollment.Infrastructure.Data;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// Re-applies blueprint files when they change, by polling (<c>Blueprints:WatchInterval</c>, default 10 seconds;
/// 0 turns it off). Polling rather than a file-system watcher: it sees changes on network and container volumes,
/// where inotify events do not arrive, and a missed event cannot leave a change unapplied. Each round first looks
/// without a lock (read the files, hash them, compare with the instances); only when something is to be done does it
/// take the start-up lock (<see cref="StartupLock"/>: PostgreSQL advisory lock, SQL Server app lock, a file lock for
/// SQLite) and run discovery, which decides again under the lock: of several servers, the first applies and
/// records the hash, the others then find nothing left to do.
/// </summary>
public sealed class BlueprintWatcher(IServiceProvider services, IConfiguration config, ILogger<BlueprintWatcher> log) : BackgroundService
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = config.GetValue("Blueprints:WatchInterval", DefaultInterval);
        if (interval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RoundAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A database that is down for a moment must not end the watching; the next round tries again.
                log.LogWarning(e, "Looking for changed blueprint files failed; trying again in {Interval}", interval);
            }
        }
    }

    /// <summary>One round: look, and when something changed, discover under the lock.</summary>
    public async Task<IReadOnlyList<string>> RoundAsync(CancellationToken ct)
    {
        await using (var look = services.CreateAsyncScope())
            if (!await look.ServiceProvider.GetRequiredService<BlueprintInstances>().PendingAsync(ct)) return [];
        await using var held = await StartupLock.AcquireAsync(services, log, ct);
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BlueprintInstances>().DiscoverAsync(ct);
    }
}
