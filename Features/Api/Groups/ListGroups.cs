using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Groups;

/// <summary><c>GET /api/v3/core/groups/</c></summary>
public static class ListGroups
{
    // Raw strings, so a bad value becomes a DRF-style field error instead of the binder's bare 400.
    public sealed record Query(
        [FromQuery(Name = "page")] string? Page,
        [FromQuery(Name = "page_size")] string? PageSize,
        [FromQuery(Name = "ordering")] string? Ordering,
        [FromQuery(Name = "search")] string? Search,
        [FromQuery(Name = "name")] string? Name,
        [FromQuery(Name = "is_superuser")] string? IsSuperuser) : IQuery<ApiResult<ApiPage<GroupJson>>>;

    private static readonly Ordering<Group> Orderings = new Ordering<Group>("name")
        .Field("name", g => g.Name).Field("is_superuser", g => g.IsSuperuser);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, ApiResult<ApiPage<GroupJson>>>
    {
        public async ValueTask<ApiResult<ApiPage<GroupJson>>> Handle(Query q, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var page = PageRequest.Parse(q.Page, q.PageSize, errors);
            var isSuperuser = Filters.Boolean(q.IsSuperuser, "is_superuser", errors);
            if (errors.Any) return ApiResult<ApiPage<GroupJson>>.Invalid(errors);

            var groups = db.Groups.AsNoTracking();
            if (!string.IsNullOrEmpty(q.Name)) groups = groups.Where(g => g.Name == q.Name);
            if (isSuperuser is { } flag) groups = groups.Where(g => g.IsSuperuser == flag);
            if (!string.IsNullOrWhiteSpace(q.Search))
            {
                var like = Paging.LikePattern(q.Search);
                groups = groups.Where(g => EF.Functions.Like(g.Name.ToLower(), like, "\\"));
            }
            return await Orderings.Apply(groups, q.Ordering).ThenBy(g => g.Id).Select(GroupJson.Projection).ToApiPageAsync(page, ct);
        }
    }
}
