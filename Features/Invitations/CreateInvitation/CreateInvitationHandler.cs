using Enrollment.Infrastructure.Identity;
using System.Globalization;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Serialization;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Command = Enrollment.Features.Invitations.CreateInvitation.CreateInvitation.Command;

namespace Enrollment.Features.Invitations.CreateInvitation;

internal sealed class CreateInvitationHandler(AppDbContext db, AuditTrail audit, IHttpContextAccessor http, TimeProvider clock)
    : ICommandHandler<Command, FormResult<Guid>>
{
    private static readonly string[] DateFormats = ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.fff", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"];

    public async ValueTask<FormResult<Guid>> Handle(Command command, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        DateTime? expires = null;
        if (!string.IsNullOrWhiteSpace(command.Expires))
        {
            if (DateTime.TryParseExact(command.Expires.Trim(), DateFormats, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                expires = parsed;
            else
                errors.Add(new(nameof(Command.Expires), "Enter a date and time like 2026-12-31T17:00, or leave it empty."));
            if (expires <= clock.GetUtcNow().UtcDateTime)
                errors.Add(new(nameof(Command.Expires), "This date is in the past; the invitation would be expired at once."));
        }

        var flow = await db.Flows.AsNoTracking().Where(f => f.Slug == command.FlowSlug).Select(f => new { f.Id, f.Designation }).SingleOrDefaultAsync(ct);
        if (flow is null) errors.Add(new(nameof(Command.FlowSlug), "That flow does not exist."));
        else if (flow.Designation != FlowDesignation.Enrollment) errors.Add(new(nameof(Command.FlowSlug), "Choose a flow with the designation “enrollment”."));

        var fixedData = StructuredText.ParseObject(command.FixedData);
        if (fixedData.Error is not null) errors.Add(new(nameof(Command.FixedData), fixedData.Error));
        if (errors.Count > 0) return FormResult<Guid>.Fail(errors);

        var invitation = new Invitation
        {
            Name = command.Name.Trim(),
            Expires = expires,
            FlowId = flow!.Id,
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
