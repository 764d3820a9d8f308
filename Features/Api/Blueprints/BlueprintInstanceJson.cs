using System.Linq.Expressions;
using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Blueprints;

/// <summary>authentik's <c>BlueprintInstance</c>.</summary>
public sealed record BlueprintInstanceJson(
    Guid Pk, string Name, string Path, JsonObject Context, DateTime LastApplied, string LastAppliedHash,
    BlueprintInstanceStatus Status, bool Enabled, JsonArray ManagedModels, JsonObject Metadata, string Content)
{
    public static readonly Expression<Func<BlueprintInstance, BlueprintInstanceJson>> Projection = i => new BlueprintInstanceJson(
        i.Id, i.Name, i.Path, i.Context, i.LastApplied, i.LastAppliedHash, i.Status, i.Enabled, i.ManagedModels, i.Metadata, i.Content);
}
