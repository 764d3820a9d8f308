using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Blueprints;
using Mediator;

namespace Enrollment.Features.Blueprints.Shared;

/// <summary>
/// One import through the engine, shared by the import page, the apply page and the API: the engine is the
/// slice's logic, these pages differ only in where the YAML and the context come from.
/// </summary>
public static class RunBlueprint
{
    public sealed record Command(string Yaml, JsonObject Context, bool DryRun) : ICommand<BlueprintResult>;

    internal sealed class Handler(BlueprintImporter importer) : ICommandHandler<Command, BlueprintResult>
    {
        public async ValueTask<BlueprintResult> Handle(Command command, CancellationToken ct) =>
            await importer.ImportAsync(command.Yaml, command.Context.ToDictionary(p => p.Key, p => (object?)p.Value?.DeepClone()), command.DryRun, ct);
    }
}
