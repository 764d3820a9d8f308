using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Users;

/// <summary><c>GET /api/v3/core/users/{id}/</c></summary>
public static class RetrieveUser
{
    public sealed record Query(int Id) : IQuery<ApiResult<UserJson>>;

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, ApiResult<UserJson>>
    {
        public async ValueTask<ApiResult<UserJson>> Handle(Query q, CancellationToken ct)
        {
            var row = await db.Users.AsNoTracking().Where(u => u.Id == q.Id).Select(UserRow.Projection).SingleOrDefaultAsync(ct);
            if (row is null) return ApiResult<UserJson>.NotFound();
            return ApiResult<UserJson>.Ok(row.ToJson(await SuperuserGroups.LoadAsync(db, ct)));
        }
    }
}
