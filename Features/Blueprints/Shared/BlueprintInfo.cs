using Enrollment.Infrastructure.Blueprints;
using Microsoft.Extensions.Options;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Enrollment.Features.Blueprints.Shared;

/// <summary>What the blueprints page shows of a file, read without importing it.</summary>
public sealed record BlueprintInfo(string Path, string? Name, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<ContextKey> Context, string? Error)
{
    public const string InstantiateLabel = "blueprints.goauthentik.io/instantiate";

    /// <summary>authentik's examples carry <c>instantiate: "false"</c>: shipped to be applied by hand, not automatically.</summary>
    public bool IsExample => Labels.TryGetValue(InstantiateLabel, out var v) && string.Equals(v, "false", StringComparison.OrdinalIgnoreCase);
}
