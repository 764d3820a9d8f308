using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.UpdateInvitation;

/// <summary>
/// Changes an invitation (the API's <c>PUT</c> and <c>PATCH</c>, the admin's edit page) and records <c>model_updated</c>.
/// A limit below the enrollments already made is refused. An invitation deleted meanwhile — by the expiry job, say — is
/// not found, not a failure.
/// </summary>
public static class UpdateInvitation
{
    public sealed record Command(Guid Id, IInvitationInput Input) : ICommand<Result>;

    public sealed record Result(bool Found, IReadOnlyList<FieldError> Errors)
    {
        public bool Succeeded => Found && Errors.Count == 0;
        public static readonly Result NotFound = new(false, []);
    }

    internal sealed class Handler(AppDbContext db, AuditTrail audit, TimeProvider clock) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            // Looked up before the input is read: an unknown invitation is a 404 whatever the body says, as in DRF.
            var invitation = await db.Invitations.Include(i => i.Groups).SingleOrDefaultAsync(i => i.Id == command.Id, ct);
            if (invitation is null) return Result.NotFound;

            var errors = new List<FieldError>();
            var values = await command.Input.ReadAsync(db, clock.GetUtcNow().UtcDateTime, errors, ct);
            if (values is null) return new Result(true, errors);

            InvitationBinding.CheckTogether(invitation, values, command.Input, errors);
            if (values.LimitBelowUses(invitation) is { } belowUses)
                errors.Add(new(command.Input.FieldName(values.SetsMaxUses ? "max_uses" : "single_use"), belowUses));
            if (errors.Count > 0) return new Result(true, errors);

            values.ApplyTo(invitation);
            var context = AuditTrail.Model("authentik_stages_invitation", invitation.Name, invitation.Id, "invitation");
            // What the invitation now binds, when this write changed it (cleared values too).
            if (values.Groups is not null || values.SetsEmail || values.EmailDomains is not null) InvitationBinding.Describe(invitation, context, evenIfEmpty: true);
            audit.Record("model_updated", context);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Result.NotFound;
            }
            catch (DbUpdateException)
            {
                // Deleted between the lookup and the save, found by the group rows' reference to it rather than by the
                // update of its own row (a write that changes only the groups does not update that row).
                if (await db.Invitations.AsNoTracking().AnyAsync(i => i.Id == command.Id, ct)) throw;
                return Result.NotFound;
            }
            return new Result(true, []);
        }
    }
}
