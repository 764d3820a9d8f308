using YamlDotNet.Core;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// An expected failure of an import: bad input, not a bug. The importer turns it into an error log line, adding
/// the entry it happened in; <see cref="Field"/> and <see cref="At"/> say where inside the entry.
/// </summary>
public sealed class BlueprintException(string message, string? field = null, Mark? at = null) : Exception(message)
{
    public string? Field { get; } = field;
    public Mark? At { get; } = at;

    public int? Line => At is { } m && m.Line > 0 ? (int)m.Line : null;

    /// <summary>The same failure, attributed to <paramref name="field"/> unless a more precise field is already known.</summary>
    public BlueprintException InField(string field) => Field is null ? new BlueprintException(Message, field, At) : this;
}
