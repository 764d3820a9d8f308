namespace Enrollment.Features.Api.Shared;

/// <summary>authentik's list envelope: <c>{"pagination": {...}, "results": [...]}</c>.</summary>
public sealed record ApiPage<T>(Pagination Pagination, IReadOnlyList<T> Results)
{
    public ApiPage<TOther> Map<TOther>(Func<T, TOther> map) => new(Pagination, Results.Select(map).ToList());
}
