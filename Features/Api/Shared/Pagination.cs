using System.Globalization;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Shared;

/// <summary>authentik's list envelope: <c>{"pagination": {...}, "results": [...]}</c>.</summary>
public sealed record ApiPage<T>(Pagination Pagination, IReadOnlyList<T> Results)
{
    public ApiPage<TOther> Map<TOther>(Func<T, TOther> map) => new(Pagination, Results.Select(map).ToList());
}

/// <summary>
/// authentik's <c>pagination</c> object. <c>next</c>/<c>previous</c> are page numbers, 0 when there is none;
/// <c>start_index</c>/<c>end_index</c> are 1-based and both 0 for an empty list, as Django's paginator reports them.
/// </summary>
public sealed record Pagination(int Next, int Previous, int Count, int Current, int TotalPages, int StartIndex, int EndIndex);

/// <summary>The <c>page</c> and <c>page_size</c> query parameters, validated.</summary>
public sealed record PageRequest(int Page, int PageSize, bool Last)
{
    /// <summary>
    /// Non-integers and values below 1 are errors (authentik's DRF would silently fall back for <c>page_size</c>;
    /// a script with a typo deserves to hear about it). Larger sizes are cut to the maximum, as DRF does.
    /// <c>page=last</c> is DRF's alias for the last page.
    /// </summary>
    public static PageRequest Parse(string? page, string? pageSize, FieldErrors errors)
    {
        var last = string.Equals(page, "last", StringComparison.Ordinal);
        var number = 1;
        if (page is not null && !last && !TryPositive(page, out number)) errors.Add("page", "Invalid page.");
        var size = Paging.DefaultPageSize;
        if (pageSize is not null && !TryPositive(pageSize, out size)) errors.Add("page_size", "Invalid page size.");
        return new PageRequest(number, Math.Min(size, Paging.MaxPageSize), last);
    }

    private static bool TryPositive(string text, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value > 0;
}

public static class ApiPaging
{
    /// <summary>
    /// One page of an ordered query. A page past the last one is DRF's 404 <c>{"detail": "Invalid page."}</c>;
    /// an empty list still has page 1.
    /// </summary>
    public static async Task<ApiResult<ApiPage<T>>> ToApiPageAsync<T>(this IQueryable<T> query, PageRequest request, CancellationToken ct)
    {
        var count = await query.CountAsync(ct);
        var totalPages = Math.Max(1, (count + request.PageSize - 1) / request.PageSize);
        var page = request.Last ? totalPages : request.Page;
        if (page > totalPages) return ApiResult<ApiPage<T>>.NotFound("Invalid page.");

        var items = await query.Skip((page - 1) * request.PageSize).Take(request.PageSize).ToListAsync(ct);
        var start = count == 0 ? 0 : (page - 1) * request.PageSize + 1;
        var end = count == 0 ? 0 : start + items.Count - 1;
        var pagination = new Pagination(
            Next: page < totalPages ? page + 1 : 0,
            Previous: page > 1 ? page - 1 : 0,
            Count: count, Current: page, TotalPages: totalPages, StartIndex: start, EndIndex: end);
        return ApiResult<ApiPage<T>>.Ok(new ApiPage<T>(pagination, items));
    }
}
