namespace Enrollment.Features.Api.Shared;

/// <summary>Validation messages per query parameter, in DRF's shape.</summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    public bool Any => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages)) _errors[field] = messages = [];
        messages.Add(message);
    }

    public Dictionary<string, List<string>> ToBody() => new(_errors, StringComparer.Ordinal);
}
