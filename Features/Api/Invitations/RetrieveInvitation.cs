using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Invitations;

/// <summary><c>GET /api/v3/stages/invitation/invitations/{pk}/</c></summary>
public static class RetrieveInvitation
{
    public sealed record Query(Guid Pk) : IQuery<ApiResult<InvitationJson>>;

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, ApiResult<InvitationJson>>
    {
        public async ValueTask<ApiResult<InvitationJson>> Handle(Query q, CancellationToken ct) =>
            await db.Invitations.AsNoTracking().Where(i => i.Id == q.Pk).Select(InvitationJson.Projection).SingleOrDefaultAsync(ct) is { } invitation
                ? ApiResult<InvitationJson>.Ok(invitation)
                : ApiResult<InvitationJson>.NotFound();
    }
}
