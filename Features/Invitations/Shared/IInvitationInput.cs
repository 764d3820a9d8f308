using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>
/// An invitation write as one front door received it. The admin form (a datetime-local expiry, YAML attributes, an
/// enrollment flow by slug) and the API (authentik's JSON, any flow by pk) take different shapes and word their errors
/// their own way; <see cref="CreateInvitation.CreateInvitation.Command"/> and
/// <see cref="UpdateInvitation.UpdateInvitation.Command"/> read either and write, record and save the result the same way.
/// </summary>
public interface IInvitationInput
{
    /// <summary>
    /// The values to write, or null once <paramref name="errors"/> holds why not (keyed by the door's own field names,
    /// every problem at once).
    /// </summary>
    Task<InvitationValues?> ReadAsync(AppDbContext db, DateTime now, List<FieldError> errors, CancellationToken ct);

    /// <summary>
    /// This door's name for one of authentik's field names (<c>email</c>, <c>email_domains</c>, <c>groups</c>), for
    /// problems found once the values meet the invitation (<see cref="InvitationBinding.CheckTogether"/>).
    /// </summary>
    string FieldName(string wireName) => wireName;
}
