using System.Text.Json.Nodes;
using Enrollment.Features.Blueprints.Shared;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Serialization;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Features.Blueprints.ApplyBlueprint;

/// <summary>
/// Applies one shipped blueprint: its <c>context</c> keys as inputs (defaults filled in), plus free JSON/YAML
/// context. Only inputs changed from their default are sent, so an untouched default keeps its type in the file.
/// </summary>
public sealed class ApplyBlueprint(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Path { get; set; }
    [BindProperty] public Dictionary<string, string?> Values { get; set; } = [];
    [BindProperty] public string? Context { get; set; }
    [BindProperty] public bool DryRun { get; set; }

    public BlueprintInfo Info { get; private set; } = null!;
    public BlueprintResult? Result { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var found = await sender.Send(new Query(Path), ct);
        if (found.Status != StatusCodes.Status200OK) return StatusCode(found.Status);
        Info = found.Info!;
        foreach (var key in Info.Context) Values[key.Name] = key.Default;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var found = await sender.Send(new Query(Path), ct);
        if (found.Status != StatusCodes.Status200OK) return StatusCode(found.Status);
        Info = found.Info!;
        var free = StructuredText.ParseObject(Context);
        if (free.Error is not null)
        {
            ModelState.AddModelError(nameof(Context), free.Error);
            return this.PageOrPartial("_ApplyPanel", this);
        }
        if (found.Yaml is null)
        {
            ModelState.AddModelError("", UploadLimits.TooLarge);
            return this.PageOrPartial("_ApplyPanel", this);
        }
        var context = new JsonObject();
        foreach (var key in Info.Context)
            if (Values.TryGetValue(key.Name, out var value) && value is not null && value != (key.Default ?? ""))
                context[key.Name] = StructuredText.Scalar(new YamlScalarNode(value));
        foreach (var (k, v) in free.Value!) context[k] = v?.DeepClone();
        Result = await sender.Send(new RunBlueprint.Command(found.Yaml!, context, DryRun), ct);
        return this.PageOrPartial("_ApplyPanel", this);
    }

    public sealed record Query(string? Path) : IQuery<Found>;

    /// <summary>The file's metadata and text, or the status to answer: 400 for a path that is not allowed, 404 for a missing file.</summary>
    public sealed record Found(int Status, BlueprintInfo? Info, string? Yaml);

    internal sealed class Handler(IOptions<BlueprintOptions> options, IHostEnvironment env) : IQueryHandler<Query, Found>
    {
        public async ValueTask<Found> Handle(Query query, CancellationToken ct)
        {
            var folder = new BlueprintFolder(options, env);
            switch (folder.Resolve(query.Path, out var full))
            {
                case BlueprintFolder.Check.Invalid: return new Found(StatusCodes.Status400BadRequest, null, null);
                case BlueprintFolder.Check.NotFound: return new Found(StatusCodes.Status404NotFound, null, null);
            }
            var info = folder.Read(query.Path!, full);
            var yaml = new FileInfo(full).Length > BlueprintFolder.MaxFileBytes ? null : await System.IO.File.ReadAllTextAsync(full, ct);
            return new Found(StatusCodes.Status200OK, info, yaml);
        }
    }
}
