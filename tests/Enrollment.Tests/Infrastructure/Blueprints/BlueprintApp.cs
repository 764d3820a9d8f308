using Enrollment.Infrastructure.Blueprints;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// The app with the blueprint engine registered (Program.cs does not yet) and <c>!File</c> rooted in a folder of
/// the test's data directory.
/// </summary>
public sealed class BlueprintApp : EnrollmentApp
{
    public string BlueprintRoot => Path.Combine(DataDirectory, "blueprints");

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Blueprints:Root"] = BlueprintRoot, ["Blueprints:ApplyDefaults"] = "false" };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        Directory.CreateDirectory(BlueprintRoot);
        builder.ConfigureServices(services => services.AddBlueprints());
    }

    public async Task<BlueprintResult> ImportAsync(string yaml, IReadOnlyDictionary<string, object?>? context = null, bool dryRun = false)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BlueprintImporter>().ImportAsync(yaml, context ?? new Dictionary<string, object?>(), dryRun, CancellationToken.None);
    }

    /// <summary>Imports and fails the test, showing the log, unless the import succeeded.</summary>
    public async Task<BlueprintResult> ImportOkAsync(string yaml, IReadOnlyDictionary<string, object?>? context = null)
    {
        var result = await ImportAsync(yaml, context);
        Assert.True(result.Success, result.ToString());
        return result;
    }

    /// <summary>
    /// Every row the engine can write, as text: two equal snapshots mean the import changed nothing (rows added,
    /// removed or updated, links included).
    /// </summary>
    public Task<string> SnapshotAsync() => DbAsync(async db =>
    {
        var lines = new List<string>();
        lines.AddRange((await db.Flows.AsNoTracking().ToListAsync()).Select(f => $"flow {f.Id} {f.Slug} {f.Name} {f.Title} {f.Designation} {f.Authentication} {f.DeniedAction} {f.Layout} {f.PolicyEngineMode}"));
        lines.AddRange((await db.FlowStageBindings.AsNoTracking().ToListAsync()).Select(b => $"binding {b.Id} {b.FlowId} {b.StageId} {b.Order} {b.EvaluateOnPlan} {b.ReEvaluatePolicies} {b.InvalidResponseAction}"));
        lines.AddRange((await db.Stages.AsNoTracking().Include(s => ((PromptStage)s).Fields).ToListAsync()).Select(s => $"stage {s.Id} {s.Name} {s.GetType().Name} " +
            (s is PromptStage p ? string.Join(",", p.Fields.Select(f => f.Id).Order()) : "")));
        lines.AddRange((await db.Prompts.AsNoTracking().ToListAsync()).Select(p => $"prompt {p.Id} {p.Name} {p.FieldKey} {p.Label} {p.Type} {p.Required} {p.Placeholder} {p.Order}"));
        lines.AddRange((await db.Policies.AsNoTracking().ToListAsync()).Select(p => $"policy {p.Id} {p.Name}"));
        lines.AddRange((await db.PolicyBindings.AsNoTracking().ToListAsync()).Select(b => $"policybinding {b.Id} {b.FlowId} {b.FlowStageBindingId} {b.PolicyId} {b.GroupId} {b.UserId} {b.Order}"));
        lines.AddRange((await db.Groups.AsNoTracking().ToListAsync()).Select(g => $"group {g.Id} {g.Name} {g.ParentId} {g.Attributes.ToJsonString()}"));
        lines.AddRange((await db.Users.AsNoTracking().Include(u => u.Groups).ToListAsync()).Select(u => $"user {u.Id} {u.UserName} {u.Email} {u.Name} {u.PasswordHash} {string.Join(",", u.Groups.Select(g => g.Id).Order())}"));
        lines.AddRange((await db.Invitations.AsNoTracking().ToListAsync()).Select(i => $"invitation {i.Id} {i.Name} {i.FlowId} {i.SingleUse} {i.Expires:O} {i.FixedData.ToJsonString()}"));
        lines.Sort(StringComparer.Ordinal);
        return string.Join("\n", lines);
    });
}
