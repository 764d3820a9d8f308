using Enrollment.Infrastructure.Identity;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Api.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Api.Invitations;

/// <summary>
/// <c>POST</c> (create, <see cref="Command.Pk"/> null), <c>PUT</c> and <c>PATCH</c> (<see cref="Command.Partial"/>)
/// of <c>/api/v3/stages/invitation/invitations/</c>. The creator is the token's user. Creating records
/// <c>invitation_created</c> (as the admin form does), updating <c>model_updated</c>.
/// </summary>
public static class SaveInvitation
{
    public sealed record Command(Guid? Pk, JsonObject Body, bool Partial) : ICommand<ApiResult<InvitationJson>>;

    internal sealed class Handler(AppDbContext db, AuditTrail audit, IHttpContextAccessor http) : ICommandHandler<Command, ApiResult<InvitationJson>>
    {
        public async ValueTask<ApiResult<InvitationJson>> Handle(Command c, CancellationToken ct)
        {
            Invitation? invitation = null;
            if (c.Pk is { } pk && (invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == pk, ct)) is null)
                return ApiResult<InvitationJson>.NotFound();

            var errors = new FieldErrors();
            var input = await InvitationInput.ReadAsync(c.Body, c.Partial, db, errors, ct);
            if (errors.Any) return ApiResult<InvitationJson>.Invalid(errors);

            var creating = invitation is null;
            invitation ??= new Invitation
            {
                Name = input.Name,
                CreatedById = http.HttpContext?.User.UserId(),
            };
            if (input.HasName) invitation.Name = input.Name;
            if (input.HasExpires) invitation.Expires = input.Expires;
            if (input.HasFixedData) invitation.FixedData = input.FixedData;
            if (input.HasFlow) invitation.FlowId = input.FlowId;
            if (input.HasSingleUse) invitation.SingleUse = input.SingleUse;

            if (creating)
            {
                db.Invitations.Add(invitation);
                audit.Record("invitation_created", new JsonObject
                {
                    ["invitation"] = new JsonObject { ["pk"] = invitation.Id.ToString(), ["name"] = invitation.Name },
                    ["flow"] = input.FlowSlug,
                });
            }
            else
            {
                audit.Record("model_updated", AuditTrail.Model("authentik_stages_invitation", invitation.Name, invitation.Id, "invitation"));
            }
            await db.SaveChangesAsync(ct);

            var json = await db.Invitations.AsNoTracking().Where(i => i.Id == invitation.Id).Select(InvitationJson.Projection).SingleAsync(ct);
            return creating ? ApiResult<InvitationJson>.Created(json) : ApiResult<InvitationJson>.Ok(json);
        }
    }
}
