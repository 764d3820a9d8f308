using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Blueprints;
using Mediator;

namespace Enrollment.Features.Api.Blueprints;

/// <summary><c>GET /api/v3/managed/blueprints/available/</c>: every YAML file under the blueprints folder as authentik's <c>BlueprintFile</c>, examples included.</summary>
public static class AvailableBlueprints
{
    public sealed record FileJson(string Path, DateTime LastM, string Hash, JsonObject Meta);

    public sealed record Query : IQuery<IReadOnlyList<FileJson>>;

    internal sealed class Handler(BlueprintFiles files) : IQueryHandler<Query, IReadOnlyList<FileJson>>
    {
        public ValueTask<IReadOnlyList<FileJson>> Handle(Query query, CancellationToken ct)
        {
            var list = new List<FileJson>();
            foreach (var path in files.List())
            {
                try
                {
                    if (files.ReadBlueprint(path) is not { } read) continue;
                    list.Add(new FileJson(path, read.Modified, BlueprintFiles.Hash(read.Text), BlueprintMetadata.Read(read.Text).ToJson()));
                }
                catch (BlueprintException)
                {
                    // Too large, or a link out of the folder: not a blueprint this server would apply.
                }
            }
            return ValueTask.FromResult<IReadOnlyList<FileJson>>(list);
        }
    }
}
