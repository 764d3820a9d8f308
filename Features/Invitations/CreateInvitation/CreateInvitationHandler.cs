using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Enrollment.Infrastructure.Telemetry;
using Enrollment.Infrastructure.Web;
using Mediator;
using Command = Enrollment.Features.Invitations.CreateInvitation.CreateInvitation.Command;

namespace Enrollment.Features.Invitations.CreateInvitation;

/// <summary>
/// Creates one invitation from either front door's input. A bulk invitation writes its thousands with multi-row inserts
/// instead, recording the same <c>invitation_created</c> event for each.
/// </summary>
internal sealed class CreateInvitationHandler(AppDbContext db, AuditTrail audit, IHttpContextAccessor http, TimeProvider clock, EnrollmentMetrics metrics)
    : ICommandHandler<Command, FormResult<Guid>>
{
    public async ValueTask<FormResult<Guid>> Handle(Command command, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var values = await command.Input.ReadAsync(db, clock.GetUtcNow().UtcDateTime, errors, ct);
        if (values is null) return FormResult<Guid>.Fail(errors);
        if (values.Name is null) throw new ArgumentException("A new invitation needs a name; the input gave none.", nameof(command));

        var invitation = new Invitation { Name = values.Name, CreatedById = http.HttpContext?.User.UserId() };
        InvitationBinding.CheckTogether(invitation, values, command.Input, errors);
        if (errors.Count > 0) return FormResult<Guid>.Fail(errors);
        values.ApplyTo(invitation);
        db.Invitations.Add(invitation);
        var context = new JsonObject
        {
            ["invitation"] = new JsonObject { ["pk"] = invitation.Id.ToString(), ["name"] = invitation.Name },
            ["flow"] = values.FlowSlug,
        };
        InvitationBinding.Describe(invitation, context);
        audit.Record("invitation_created", context);
        await db.SaveChangesAsync(ct);
        metrics.InvitationsCreated(1);
        return FormResult<Guid>.Ok(invitation.Id);
    }
}
