using Enrollment.Features.Blueprints.Shared;
using Enrollment.Infrastructure.Blueprints;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Enrollment.Features.Blueprints.ListBlueprints;

/// <summary>System › Blueprints: the blueprint files shipped with the product, each with an Apply button.</summary>
public sealed class ListBlueprints(ISender sender) : PageModel
{
    public Result Data { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) => Data = await sender.Send(new Query(), ct);

    public sealed record Query : IQuery<Result>;

    public sealed record Result(string Root, IReadOnlyList<BlueprintInfo> Blueprints);

    internal sealed class Handler(IOptions<BlueprintOptions> options, IHostEnvironment env) : IQueryHandler<Query, Result>
    {
        public ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var folder = new BlueprintFolder(options, env);
            var infos = new List<BlueprintInfo>();
            foreach (var path in folder.Files())
                infos.Add(folder.Resolve(path, out var full) == BlueprintFolder.Check.Ok
                    ? folder.Read(path, full)
                    : new BlueprintInfo(path, null, new Dictionary<string, string>(), [], "not readable here (a link out of the folder?)."));
            return ValueTask.FromResult(new Result(folder.Root, infos));
        }
    }
}
