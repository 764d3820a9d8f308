using System.Text;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>What an import did. <see cref="Success"/> false means nothing was kept (the transaction was rolled back).</summary>
public sealed record BlueprintResult(bool Success, IReadOnlyList<BlueprintLog> Logs)
{
    /// <summary>The models the applied entries belong to (skipped entries left out), by their registered names.</summary>
    public IReadOnlyList<string> ManagedModels { get; init; } = [];

    public IEnumerable<BlueprintLog> Errors => Logs.Where(l => l.Level == BlueprintLogLevel.Error);

    public override string ToString() => string.Join(Environment.NewLine, Logs);
}
