using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.EditInvitation;

public sealed partial class EditInvitation
{
    /// <summary>The create form's fields, read against the invitation they change.</summary>
    public sealed class Form : InvitationForm
    {
        /// <summary>The invitation being edited (from the route, never from the posted fields).</summary>
        internal Guid InvitationId { get; set; }

        /// <summary>
        /// The expiry as it was shown, posted back unchanged, is kept exactly — even when it has already passed: the admin
        /// is changing something else about an expired invitation (its status stays "expired"), as a <c>PATCH</c> without
        /// <c>expires</c> would. A changed expiry must lie ahead, as on the create page: moving an invitation's expiry into
        /// the past is revoking it, which has its own button.
        /// </summary>
        protected override async Task<(DateTime? Value, string? Error)> ReadExpiresAsync(AppDbContext db, DateTime now, CancellationToken ct)
        {
            var (value, error) = InvitationFields.ParseExpires(Expires, now);
            if (value is not { } shown) return (value, error);
            var stored = await db.Invitations.AsNoTracking().Where(i => i.Id == InvitationId).Select(i => i.Expires).SingleOrDefaultAsync(ct);
            return stored is { } current && InvitationFields.SameInstantShown(shown, current) ? (current, null) : (value, error);
        }
    }
}
