using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.FlowInstances;

/// <summary><c>GET /api/v3/flows/instances/</c></summary>
public static class ListFlowInstances
{
    // Raw strings, so a bad value becomes a DRF-style field error instead of the binder's bare 400.
    public sealed record Query(
        [FromQuery(Name = "page")] string? Page,
        [FromQuery(Name = "page_size")] string? PageSize,
        [FromQuery(Name = "ordering")] string? Ordering,
        [FromQuery(Name = "search")] string? Search,
        [FromQuery(Name = "slug")] string? Slug,
        [FromQuery(Name = "name")] string? Name,
        [FromQuery(Name = "designation")] string? Designation) : IQuery<ApiResult<ApiPage<FlowInstanceJson>>>;

    private static readonly Ordering<Flow> Orderings = new Ordering<Flow>("slug")
        .Field("slug", f => f.Slug).Field("name", f => f.Name).Field("title", f => f.Title).Field("designation", f => f.Designation);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, ApiResult<ApiPage<FlowInstanceJson>>>
    {
        public async ValueTask<ApiResult<ApiPage<FlowInstanceJson>>> Handle(Query q, CancellationToken ct)
        {
            var errors = new FieldErrors();
            var page = PageRequest.Parse(q.Page, q.PageSize, errors);
            var designation = Filters.Choice<FlowDesignation>(q.Designation, "designation", errors);
            if (errors.Any) return ApiResult<ApiPage<FlowInstanceJson>>.Invalid(errors);

            var flows = db.Flows.AsNoTracking();
            if (!string.IsNullOrEmpty(q.Slug)) flows = flows.Where(f => f.Slug == q.Slug);
            if (!string.IsNullOrEmpty(q.Name)) flows = flows.Where(f => f.Name == q.Name);
            if (designation is { } d) flows = flows.Where(f => f.Designation == d);
            if (!string.IsNullOrWhiteSpace(q.Search))
            {
                var like = Paging.LikePattern(q.Search);
                flows = flows.Where(f => EF.Functions.Like(f.Name.ToLower(), like, "\\") || EF.Functions.Like(f.Slug.ToLower(), like, "\\")
                    || EF.Functions.Like(f.Title.ToLower(), like, "\\"));
            }
            // The primary key last keeps pages stable when the requested ordering has ties.
            return await Orderings.Apply(flows, q.Ordering).ThenBy(f => f.Id).Select(FlowInstanceJson.Projection).ToApiPageAsync(page, ct);
        }
    }
}
