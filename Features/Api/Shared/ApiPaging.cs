using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Shared;

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
