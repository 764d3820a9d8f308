using System.Text.Json.Nodes;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Invitations;

/// <summary><c>DELETE /api/v3/stages/invitation/invitations/{pk}/</c>: 204, and an <c>invitation_deleted</c> event.</summary>
public static class DeleteInvitation
{
    public sealed record Command(Guid Pk) : ICommand<ApiResult<bool>>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit) : ICommandHandler<Command, ApiResult<bool>>
    {
        public async ValueTask<ApiResult<bool>> Handle(Command c, CancellationToken ct)
        {
            var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == c.Pk, ct);
            if (invitation is null) return ApiResult<bool>.NotFound();
            db.Invitations.Remove(invitation);
            audit.Record("invitation_deleted", new JsonObject
            {
                ["invitation"] = new JsonObject { ["pk"] = invitation.Id.ToString(), ["name"] = invitation.Name },
            });
            await db.SaveChangesAsync(ct);
            return new ApiResult<bool>(true, StatusCodes.Status204NoContent, null);
        }
    }
}
