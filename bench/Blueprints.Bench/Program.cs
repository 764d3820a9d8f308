// Blueprint import benchmark: generates one blueprint of N entries (default 5,000) — flows, prompts, prompt stages
// bound to the flows, invitations and groups, joined by !KeyOf — and imports it with the app's BlueprintImporter
// into a fresh SQLite database (a temporary data directory, migrated first), timing the import alone.
//
//   dotnet run -c Release -- [--entries 5000] [--keep]
using System.Diagnostics;
using System.Text;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var entries = 5000;
var keep = false;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--entries" && i + 1 < args.Length && int.TryParse(args[++i], out var n) && n >= 10) entries = n;
    else if (args[i] == "--keep") keep = true;
    else { Console.Error.WriteLine("usage: Blueprints.Bench [--entries 5000] [--keep]"); return 2; }
}

var data = Path.Combine(Path.GetTempPath(), "enrollment-blueprint-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(data);
try
{
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production", ContentRootPath = data });
    builder.Logging.ClearProviders();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["DataDirectory"] = data });
    builder.Services.AddEnrollmentDatabase(DatabaseSettings.From(builder.Configuration, data));
    builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
    builder.Services.AddSingleton<ILookupNormalizer, UpperInvariantLookupNormalizer>();
    builder.Services.AddBlueprints();
    using var host = builder.Build();
    await host.Services.MigrateDatabaseAsync();

    var (yaml, counts) = Generate(entries);
    Console.WriteLine($"Blueprint import bench: {Environment.ProcessorCount} cores, SQLite in {data}");
    Console.WriteLine($"blueprint: {entries} entries ({counts}), {Encoding.UTF8.GetByteCount(yaml) / 1024} KB");

    await using var scope = host.Services.CreateAsyncScope();
    var importer = scope.ServiceProvider.GetRequiredService<BlueprintImporter>();
    var clock = Stopwatch.StartNew();
    var result = await importer.ImportAsync(yaml, null, dryRun: false, CancellationToken.None);
    clock.Stop();
    if (!result.Success)
    {
        Console.Error.WriteLine("import failed:");
        foreach (var log in result.Errors) Console.Error.WriteLine("  " + log);
        return 1;
    }

    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    var rows = await db.Flows.CountAsync() + await db.Prompts.CountAsync() + await db.Stages.CountAsync()
               + await db.FlowStageBindings.CountAsync() + await db.Invitations.CountAsync() + await db.Groups.CountAsync();
    if (rows != entries) { Console.Error.WriteLine($"expected {entries} rows, found {rows}"); return 1; }

    var seconds = clock.Elapsed.TotalSeconds;
    Console.WriteLine($"entries: {entries}");
    Console.WriteLine($"seconds: {seconds:F2}");
    Console.WriteLine($"entries/s: {entries / seconds:F0}");
    Console.WriteLine($"target: under 5 s — {(seconds < 5 ? "met" : "MISSED")}");
    return 0;
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    if (!keep) try { Directory.Delete(data, recursive: true); } catch (IOException) { }
}

// 1% flows, 20% prompts, 20% prompt stages (one field each), 20% bindings, 20% invitations, the rest groups.
static (string Yaml, string Counts) Generate(int total)
{
    var flows = Math.Max(1, total / 100);
    var fifth = total / 5;
    var groups = total - flows - 4 * fifth;
    var sb = new StringBuilder(total * 160);
    sb.Append("version: 1\nmetadata:\n  name: Benchmark - generated\n  labels:\n    blueprints.goauthentik.io/instantiate: \"false\"\nentries:\n");
    for (var f = 0; f < flows; f++)
        sb.Append($"- model: authentik_flows.flow\n  id: flow-{f}\n  identifiers:\n    slug: bench-flow-{f}\n  attrs:\n    name: Bench flow {f}\n    title: Welcome {f}\n    designation: enrollment\n");
    for (var i = 0; i < fifth; i++)
        sb.Append($"- model: authentik_stages_prompt.prompt\n  id: prompt-{i}\n  identifiers:\n    name: bench-prompt-{i}\n  attrs:\n    field_key: field_{i}\n    label: Field {i}\n    type: text\n    order: {i}\n");
    for (var i = 0; i < fifth; i++)
        sb.Append($"- model: authentik_stages_prompt.promptstage\n  id: stage-{i}\n  identifiers:\n    name: bench-stage-{i}\n  attrs:\n    fields:\n    - !KeyOf prompt-{i}\n");
    for (var i = 0; i < fifth; i++)
        sb.Append($"- model: authentik_flows.flowstagebinding\n  identifiers:\n    target: !KeyOf flow-{i % flows}\n    stage: !KeyOf stage-{i}\n    order: {i}\n");
    for (var i = 0; i < fifth; i++)
        sb.Append($"- model: authentik_stages_invitation.invitation\n  identifiers:\n    name: bench-invitation-{i}\n  attrs:\n    flow: !KeyOf flow-{i % flows}\n    single_use: true\n    expires: \"2099-12-31T23:59:59Z\"\n    fixed_data:\n      email: invitee-{i}@example.com\n");
    for (var i = 0; i < groups; i++)
        sb.Append($"- model: authentik_core.group\n  identifiers:\n    name: bench-group-{i}\n  attrs:\n    attributes:\n      index: {i}\n");
    return (sb.ToString(), $"{flows} flows, {fifth} prompts, {fifth} prompt stages, {fifth} bindings, {fifth} invitations, {groups} groups");
}
