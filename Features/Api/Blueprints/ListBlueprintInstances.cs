using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Blueprints;

/// <summary>
/// <c>GET /api/v3/managed/blueprints/</c>: exact filters <c>name</c> and <c>path</c>, <c>search</c> over name and
/// path (any case), <c>ordering</c> by <c>name</c> or <c>path</c> (default <c>name</c>), <c>page</c>/<c>page_size</c>.
/// </summary>
public static class ListBlueprintInstances
{
    public sealed record Query(
        [FromQuery(Name = "page")] string? Page,
        [FromQuery(Name = "page_size")] string? PageSize,
        [FromQuery(Name = "ordering")] string? Ordering,
        [FromQuery(Name = "search")] string? Search,
        [FromQuery(Name = "name")] string? Name,
        [FromQuery(Name = "path")] string? Path) : IQuery<ApiResult<BlueprintInstancePage>>;

    private static readonly Ordering<BlueprintInstance> Orderings = new Ordering<BlueprintInstance>("name")
        .Field("name", i => i.Name).Field("path", i => i.Path);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, ApiResult<BlueprintInstancePage>>
    {
        public async ValueTask<ApiResult<BlueprintInstancePage>> Handle(Query q, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var page = PageRequest.Parse(q.Page, q.PageSize, errors);
            if (errors.Any) return ApiResult<BlueprintInstancePage>.Invalid(errors);

            var instances = db.BlueprintInstances.AsNoTracking();
            if (!string.IsNullOrEmpty(q.Name)) instances = instances.Where(i => i.Name == q.Name);
            if (!string.IsNullOrEmpty(q.Path)) instances = instances.Where(i => i.Path == q.Path);
            if (!string.IsNullOrWhiteSpace(q.Search))
            {
                var like = Paging.LikePattern(q.Search);
                instances = instances.Where(i => EF.Functions.Like(i.Name.ToLower(), like, "\\") || EF.Functions.Like(i.Path.ToLower(), like, "\\"));
            }
            var result = await Orderings.Apply(instances, q.Ordering).ThenBy(i => i.Id).Select(BlueprintInstanceJson.Projection).ToApiPageAsync(page, ct);
            return result.Value is { } found
                ? ApiResult<BlueprintInstancePage>.Ok(new BlueprintInstancePage(found.Pagination, found.Results, []))
                : result.As<BlueprintInstancePage>();
        }
    }
}
