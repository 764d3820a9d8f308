using System.Text;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// One line of an import's log. <see cref="Entry"/> is the 0-based position in <c>entries</c> (as in authentik's
/// logs, <c>entries[2]</c>), <see cref="Line"/> the 1-based line in the file; both are null for the whole file.
/// </summary>
public sealed record BlueprintLog(
    BlueprintLogLevel Level, string Message, int? Entry = null, string? Id = null, string? Model = null, string? Field = null, int? Line = null)
{
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Level switch { BlueprintLogLevel.Error => "error", BlueprintLogLevel.Warning => "warning", _ => "info" }).Append(": ");
        if (Entry is { } e)
        {
            sb.Append("entries[").Append(e).Append(']');
            if (Id is not null) sb.Append(" (id ").Append(Id).Append(')');
            if (Model is not null) sb.Append(' ').Append(Model);
            sb.Append(": ");
        }
        if (Field is not null) sb.Append("field '").Append(Field).Append("': ");
        if (Line is { } l) sb.Append("line ").Append(l).Append(": ");
        return sb.Append(Message).ToString();
    }
}
