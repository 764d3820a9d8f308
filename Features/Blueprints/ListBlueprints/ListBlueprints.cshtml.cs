using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Blueprints.Shared;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Enrollment.Infrastructure.Blueprints;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Enrollment.Features.Blueprints.ListBlueprints;

/// <summary>
/// System › Blueprints: the blueprint instances (status, last applied, Apply, and the log of one that failed), and
/// the files shipped with the product, each with a link to apply it once with a context of the admin's choice.
/// </summary>
public sealed class ListBlueprints(ISender sender) : PageModel
{
    public Result Data { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Data = await sender.Send(new Query(), ct);

    /// <summary>The Apply button of an instance: applies it now, then back to the list (post/redirect/get).</summary>
    public async Task<IActionResult> OnPostApplyAsync(Guid id, CancellationToken ct)
    {
        if (await sender.Send(new ApplyInstance.ApplyInstance.Command(id), ct) is null) return NotFound();
        return Redirect("/if/admin/blueprints/");
    }

    public sealed record Query : IQuery<Result>;

    public sealed record Instance(Guid Id, string Name, string Path, bool Enabled, BlueprintInstanceStatus Status, DateTime LastApplied, JsonArray LastLog)
    {
        /// <summary>The last apply's log as the import pages show it, one line each.</summary>
        public string LogText => string.Join("\n", LastLog.OfType<JsonObject>().Select(l =>
            $"{l["log_level"]}: {(l["entry"] is { } e ? $"entries[{e}] " : "")}{(l["field"] is { } f ? $"field '{f}': " : "")}{(l["line"] is { } n ? $"line {n}: " : "")}{l["event"]}"));
    }

    public sealed record Result(string Root, IReadOnlyList<BlueprintInfo> Blueprints, IReadOnlyList<Instance> Instances);

    internal sealed class Handler(IOptions<BlueprintOptions> options, IHostEnvironment env, AppDbContext db) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var instances = await db.BlueprintInstances.AsNoTracking().OrderBy(i => i.Name)
                .Select(i => new Instance(i.Id, i.Name, i.Path, i.Enabled, i.Status, i.LastApplied, i.LastLog)).ToListAsync(ct);
            var folder = new BlueprintFolder(options, env);
            var infos = new List<BlueprintInfo>();
            foreach (var path in folder.Files())
                infos.Add(folder.Resolve(path, out var full) == BlueprintFolder.Check.Ok
                    ? folder.Read(path, full)
                    : new BlueprintInfo(path, null, new Dictionary<string, string>(), [], "not readable here (a link out of the folder?)."));
            return new Result(folder.Root, infos, instances);
        }
    }
}
