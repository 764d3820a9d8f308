using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.FlowInstances;

/// <summary><c>GET /api/v3/flows/instances/{slug}/</c>: authentik looks flows up by slug, not by pk.</summary>
public static class RetrieveFlowInstance
{
    public sealed record Query(string Slug) : IQuery<ApiResult<FlowInstanceJson>>;

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, ApiResult<FlowInstanceJson>>
    {
        public async ValueTask<ApiResult<FlowInstanceJson>> Handle(Query q, CancellationToken ct) =>
            await db.Flows.AsNoTracking().Where(f => f.Slug == q.Slug).Select(FlowInstanceJson.Projection).SingleOrDefaultAsync(ct) is { } flow
                ? ApiResult<FlowInstanceJson>.Ok(flow)
                : ApiResult<FlowInstanceJson>.NotFound();
    }
}
