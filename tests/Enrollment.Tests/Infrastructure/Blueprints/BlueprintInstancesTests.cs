using System.Security.Cryptography;
using System.Text;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// Blueprint files as instances: found and applied at start, applied again by the watcher when the file changes and
/// only then, an error with its log, orphaned when the file is gone, disabled instances left alone, and of two servers
/// on one database only one applies a change. Each test has a host of its own (the folder is the test's).
/// </summary>
public sealed class BlueprintInstancesTests
{
    private static string Sha512(string text) => Convert.ToHexStringLower(SHA512.HashData(Encoding.UTF8.GetBytes(text)));

    private static Task<BlueprintInstance> InstanceAsync(EnrollmentApp app, string path = "watched.yaml") =>
        app.DbAsync(db => db.BlueprintInstances.AsNoTracking().SingleAsync(i => i.Path == path));

    private static Task<string?> TitleAsync(EnrollmentApp app) =>
        app.DbAsync(db => db.Flows.Where(f => f.Slug == "watched-flow").Select(f => f.Title).SingleOrDefaultAsync());

    private static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) throw new Xunit.Sdk.XunitException($"{what}: not within 15 s (last: {value})");
            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Replaces the file at once, as an editor saving it or a deployment copying it does: the watcher never sees it half
    /// written (it would rightly report that text's own error instead of the one the test is about).
    /// </summary>
    private static async Task ReplaceAsync(string path, string text)
    {
        var next = path + ".next";
        await File.WriteAllTextAsync(next, text);
        File.Move(next, path, overwrite: true);
    }

    [Fact]
    public async Task A_file_found_at_start_becomes_an_instance_and_is_applied_with_its_hash_metadata_and_models()
    {
        await using var app = new Hosts.WithWatchedBlueprints();
        var instance = await InstanceAsync(app);

        Assert.Equal(("Watched flow", BlueprintInstanceStatus.Successful, true), (instance.Name, instance.Status, instance.Enabled));
        Assert.Equal(Sha512(Hosts.WithWatchedBlueprints.Watched("First")), instance.LastAppliedHash);
        Assert.Equal("""{"name":"Watched flow","labels":{"team":"tests"}}""", instance.Metadata.ToJsonString());
        Assert.Equal("""["authentik_flows.flow"]""", instance.ManagedModels.ToJsonString());
        Assert.Equal("First", await TitleAsync(app));
    }

    [Fact]
    public async Task A_changed_file_is_applied_again_by_the_watcher_and_an_unchanged_one_is_not()
    {
        await using var app = new Hosts.WithWatchedBlueprints();
        var before = await InstanceAsync(app);
        var watcher = app.Services.GetServices<IHostedService>().OfType<BlueprintWatcher>().Single();
        Assert.Empty(await watcher.RoundAsync(CancellationToken.None));
        Assert.Equal(before.LastApplied, (await InstanceAsync(app)).LastApplied);

        await ReplaceAsync(Path.Combine(app.BlueprintRoot, "watched.yaml"), Hosts.WithWatchedBlueprints.Watched("Second"));

        await EventuallyAsync(() => TitleAsync(app), t => t == "Second", "the changed file applied");
        var after = await InstanceAsync(app);
        Assert.Equal(Sha512(Hosts.WithWatchedBlueprints.Watched("Second")), after.LastAppliedHash);
        Assert.True(after.LastApplied > before.LastApplied);
    }

    [Fact]
    public async Task A_failing_file_marks_its_instance_error_with_the_log_and_a_gone_file_marks_it_orphaned()
    {
        await using var app = new Hosts.WithWatchedBlueprints();
        await InstanceAsync(app); // started: the file was found and applied
        var path = Path.Combine(app.BlueprintRoot, "watched.yaml");
        await ReplaceAsync(path, Hosts.WithWatchedBlueprints.Watched("Broken").Replace("designation: enrollment", "designation: nonsense"));

        var failed = await EventuallyAsync(() => InstanceAsync(app), i => i.Status == BlueprintInstanceStatus.Error, "error status");
        Assert.Contains(failed.LastLog, l => (string?)l!["log_level"] == "error" && (string?)l["field"] == "designation");
        Assert.Equal("First", await TitleAsync(app));
        Assert.Equal(Sha512(Hosts.WithWatchedBlueprints.Watched("First")), failed.LastAppliedHash); // the last text applied successfully

        using var admin = await app.AdminClientAsync();
        var page = await admin.GetPageAsync("/if/admin/blueprints/");
        Assert.Equal("error", page.QuerySelector($"#instance-{failed.Id} [data-status]")!.TextContent);
        Assert.Contains("field 'designation'", page.QuerySelector($"[data-log-for='{failed.Id}']")!.TextContent);

        File.Delete(path);
        await EventuallyAsync(() => InstanceAsync(app), i => i.Status == BlueprintInstanceStatus.Orphaned, "orphaned status");
    }

    [Fact]
    public async Task A_disabled_instance_is_not_applied_when_its_file_changes()
    {
        await using var app = new Hosts.WithWatchedBlueprints();
        await app.DbAsync(db => db.BlueprintInstances.ExecuteUpdateAsync(s => s.SetProperty(i => i.Enabled, false)));
        await ReplaceAsync(Path.Combine(app.BlueprintRoot, "watched.yaml"), Hosts.WithWatchedBlueprints.Watched("Ignored"));

        var watcher = app.Services.GetServices<IHostedService>().OfType<BlueprintWatcher>().Single();
        Assert.Empty(await watcher.RoundAsync(CancellationToken.None));
        await Task.Delay(600);
        Assert.Equal("First", await TitleAsync(app));
    }

    [Fact]
    public async Task Of_two_servers_on_one_database_only_one_applies_a_change()
    {
        await using var first = new Hosts.WithWatchedBlueprints();
        await using var second = new Hosts.SharingDatabaseWith(first, new Dictionary<string, string?>
        {
            ["Blueprints:Root"] = first.BlueprintRoot, ["Blueprints:ApplyDefaults"] = "false", ["Blueprints:WatchInterval"] = "0",
        });
        second.Services.GetType();
        Assert.Equal(1, await first.DbAsync(db => db.BlueprintInstances.CountAsync()));
        // The first host watches too (every 200 ms); with both rounds run here at once, the change is applied at most once by them.
        await File.WriteAllTextAsync(Path.Combine(first.BlueprintRoot, "watched.yaml"), Hosts.WithWatchedBlueprints.Watched("Once"));
        var a = first.Services.GetServices<IHostedService>().OfType<BlueprintWatcher>().Single();
        var b = second.Services.GetServices<IHostedService>().OfType<BlueprintWatcher>().Single();

        var rounds = await Task.WhenAll(a.RoundAsync(CancellationToken.None), b.RoundAsync(CancellationToken.None));

        await EventuallyAsync(() => TitleAsync(first), t => t == "Once", "applied");
        Assert.True(rounds.Sum(r => r.Count) <= 1, string.Join(" | ", rounds.Select(r => string.Join(",", r))));
        Assert.Equal(1, await first.DbAsync(db => db.BlueprintInstances.CountAsync()));
    }
}
