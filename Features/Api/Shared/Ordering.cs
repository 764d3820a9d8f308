using System.Linq.Expressions;

namespace Enrollment.Features.Api.Shared;

/// <summary>
/// DRF's <c>ordering</c> parameter: comma-separated field names, <c>-</c> for descending. Unknown fields are
/// dropped, as DRF's OrderingFilter does; when none is left the list's default ordering applies.
/// </summary>
public sealed class Ordering<T>(string defaultOrdering)
{
    private delegate IOrderedQueryable<T> Step(IQueryable<T> query, bool descending, bool first);

    private readonly Dictionary<string, Step> _fields = new(StringComparer.Ordinal);

    public Ordering<T> Field<TKey>(string name, Expression<Func<T, TKey>> key)
    {
        _fields[name] = (q, desc, first) => first
            ? desc ? q.OrderByDescending(key) : q.OrderBy(key)
            : desc ? ((IOrderedQueryable<T>)q).ThenByDescending(key) : ((IOrderedQueryable<T>)q).ThenBy(key);
        return this;
    }

    public IOrderedQueryable<T> Apply(IQueryable<T> query, string? ordering)
    {
        var terms = Valid(ordering);
        if (terms.Count == 0) terms = Valid(defaultOrdering);
        var first = true;
        foreach (var (name, descending) in terms)
        {
            query = _fields[name](query, descending, first);
            first = false;
        }
        return (IOrderedQueryable<T>)query;
    }

    private List<(string Name, bool Descending)> Valid(string? ordering) =>
        (ordering ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.StartsWith('-') ? (t[1..], true) : (t, false))
            .Where(t => _fields.ContainsKey(t.Item1))
            .ToList();
}
