using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Groups;

/// <summary><c>GET /api/v3/core/groups/{pk}/</c></summary>
public static class RetrieveGroup
{
    public sealed record Query(Guid Pk) : IQuery<ApiResult<GroupJson>>;

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, ApiResult<GroupJson>>
    {
        public async ValueTask<ApiResult<GroupJson>> Handle(Query q, CancellationToken ct) =>
            await db.Groups.AsNoTracking().Where(g => g.Id == q.Pk).Select(GroupJson.Projection).SingleOrDefaultAsync(ct) is { } group
                ? ApiResult<GroupJson>.Ok(group)
                : ApiResult<GroupJson>.NotFound();
    }
}
