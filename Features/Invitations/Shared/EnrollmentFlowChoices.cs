using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Enrollment.Features.Invitations.Shared;

/// <summary>The flow drop-down of invitation forms: invitations only make sense for enrollment flows.</summary>
public sealed record EnrollmentFlowChoices : IQuery<IReadOnlyList<SelectListItem>>
{
    internal sealed class Handler(AppDbContext db) : IQueryHandler<EnrollmentFlowChoices, IReadOnlyList<SelectListItem>>
    {
        public async ValueTask<IReadOnlyList<SelectListItem>> Handle(EnrollmentFlowChoices query, CancellationToken ct) =>
            await InvitationFields.EnrollmentFlowsAsync(db, ct);
    }
}
