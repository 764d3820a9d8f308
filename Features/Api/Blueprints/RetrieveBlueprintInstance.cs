using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Blueprints;

/// <summary><c>GET /api/v3/managed/blueprints/{instance_uuid}/</c>.</summary>
public static class RetrieveBlueprintInstance
{
    public sealed record Query(Guid Id) : IQuery<ApiResult<BlueprintInstanceJson>>;

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, ApiResult<BlueprintInstanceJson>>
    {
        public async ValueTask<ApiResult<BlueprintInstanceJson>> Handle(Query query, CancellationToken ct) =>
            await db.BlueprintInstances.AsNoTracking().Where(i => i.Id == query.Id).Select(BlueprintInstanceJson.Projection).SingleOrDefaultAsync(ct) is { } found
                ? ApiResult<BlueprintInstanceJson>.Ok(found)
                : ApiResult<BlueprintInstanceJson>.NotFound();
    }
}
