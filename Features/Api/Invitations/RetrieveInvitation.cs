using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Invitations;

/// <summary><c>GET /api/v3/stages/invitation/invitations/{pk}/</c></summary>
public static class RetrieveInvitation
{
    public sealed record Query(Guid Pk) : IQuery<ApiResult<InvitationJson>>;

    internal sealed class Handler(AppDbContext db, TimeProvider clock) : IQueryHandler<Query, ApiResult<InvitationJson>>
    {
        public async ValueTask<ApiResult<InvitationJson>> Handle(Query q, CancellationToken ct) =>
            await InvitationJson.Source(db).SingleOrDefaultAsync(i => i.Id == q.Pk, ct) is { } invitation
                ? ApiResult<InvitationJson>.Ok((await InvitationJson.OfAsync(db, [invitation], clock.GetUtcNow().UtcDateTime, ct))[0])
                : ApiResult<InvitationJson>.NotFound();
    }
}
