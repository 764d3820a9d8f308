using Enrollment.Infrastructure.Identity;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Serialization;
using Enrollment.Infrastructure.Web;
using Mediator;
using Enrollment.Features.Invitations.Shared;
using Command = Enrollment.Features.Invitations.CreateInvitation.CreateInvitation.Command;

namespace Enrollment.Features.Invitations.CreateInvitation;

internal sealed class CreateInvitationHandler(AppDbContext db, AuditTrail audit, IHttpContextAccessor http, TimeProvider clock)
    : ICommandHandler<Command, FormResult<Guid>>
{
    public async ValueTask<FormResult<Guid>> Handle(Command command, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var (expires, expiresError) = InvitationFields.ParseExpires(command.Expires, clock.GetUtcNow().UtcDateTime);
        if (expiresError is not null) errors.Add(new(nameof(Command.Expires), expiresError));
        var (flowId, flowError) = await InvitationFields.FindEnrollmentFlowAsync(db, command.FlowSlug, ct);
        if (flowError is not null) errors.Add(new(nameof(Command.FlowSlug), flowError));

        var fixedData = StructuredText.ParseObject(command.FixedData);
        if (fixedData.Error is not null) errors.Add(new(nameof(Command.FixedData), fixedData.Error));
        if (errors.Count > 0) return FormResult<Guid>.Fail(errors);

        var invitation = new Invitation
        {
            Name = command.Name.Trim(),
            Expires = expires,
            FlowId = flowId,
            SingleUse = command.SingleUse,
            FixedData = fixedData.Value!,
            CreatedById = http.HttpContext?.User.UserId(),
        };
        db.Invitations.Add(invitation);
        audit.Record("invitation_created", new JsonObject
        {
            ["invitation"] = new JsonObject { ["pk"] = invitation.Id.ToString(), ["name"] = invitation.Name },
            ["flow"] = command.FlowSlug,
        });
        await db.SaveChangesAsync(ct);
        return FormResult<Guid>.Ok(invitation.Id);
    }
}
