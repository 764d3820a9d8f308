using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;

namespace Enrollment.Features.Stages.Shared;

/// <summary>Every registered stage kind, found by wire name or by a stage's type.</summary>
public sealed class StageKinds
{
    private readonly Dictionary<string, StageKind> byName;
    private readonly Dictionary<Type, StageKind> byType;

    public StageKinds(IEnumerable<StageKind> kinds)
    {
        All = kinds.OrderBy(k => k.Order).ToList();
        byName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);
        byType = All.ToDictionary(k => k.StageType);
    }

    public IReadOnlyList<StageKind> All { get; }

    public StageKind? Find(string? name) => name is not null && byName.TryGetValue(name, out var kind) ? kind : null;

    public StageKind Of(Stage stage) => byType[stage.GetType()];

    /// <summary>The label of a kind given by wire name (as stored in the discriminator).</summary>
    public string Label(string name) => Find(name)?.Label ?? name;

    /// <summary>The navigations any kind needs loaded with a stage (EF loads each only for stages of its own kind).</summary>
    public IEnumerable<string> Details => All.SelectMany(k => k.Details).Distinct();

    /// <summary>The event context authentik records for a stage: its app label and model name.</summary>
    public JsonObject AuditModel(Stage stage)
    {
        var kind = Of(stage);
        return AuditTrail.Model(kind.AppLabel, stage.Name, stage.Id, kind.ModelName);
    }
}
