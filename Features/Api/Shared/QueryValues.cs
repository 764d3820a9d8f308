namespace Enrollment.Features.Api.Shared;

/// <summary>Filters that take several values (<c>?type=internal&amp;type=external</c>, as authentik's clients send lists).</summary>
public static class QueryValues
{
    /// <summary>The parameter's non-empty values; empty when absent.</summary>
    public static List<string> Many(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToList() : [];

    public static List<Guid> Uuids(IQueryCollection query, string name, FieldErrors errors)
    {
        var result = new List<Guid>();
        foreach (var value in Many(query, name))
            if (Guid.TryParse(value, out var g)) result.Add(g);
            else errors.Add(name, $"“{value}” is not a valid UUID.");
        return result;
    }

    public static List<int> Numbers(IQueryCollection query, string name, FieldErrors errors)
    {
        var result = new List<int>();
        foreach (var value in Many(query, name))
            if (int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)) result.Add(n);
            else errors.Add(name, $"Select a valid choice. {value} is not one of the available choices.");
        return result;
    }
}
