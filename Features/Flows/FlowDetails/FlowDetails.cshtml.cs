using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.Stages.Invitation;

namespace Enrollment.Features.Flows.FlowDetails;

public sealed class FlowDetails(ISender sender) : PageModel
{
    [FromRoute] public string Slug { get; set; } = "";
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        var data = await sender.Send(new Query(Slug));
        if (data is null) return NotFound();
        Data = data;
        return Page();
    }

    public sealed record Query(string Slug) : IQuery<Result?>;

    public sealed record InvitationRow(Guid Id, string Name, DateTime? Expires, bool SingleUse);

    public sealed record Result(
        string Name, string Slug, string Title, FlowDesignation Designation, FlowAuthentication Authentication,
        DeniedAction DeniedAction, PolicyEngineMode PolicyEngineMode, int Stages, bool HasInvitationStage,
        IReadOnlyList<InvitationRow> Invitations);

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, Result?>
    {
        public async ValueTask<Result?> Handle(Query query, CancellationToken ct)
        {
            var flow = await db.Flows.AsNoTracking().Where(f => f.Slug == query.Slug)
                .Select(f => new
                {
                    f.Id, f.Name, f.Slug, f.Title, f.Designation, f.Authentication, f.DeniedAction, f.PolicyEngineMode,
                    Stages = f.Bindings.Count,
                    HasInvitationStage = f.Bindings.Any(b => b.Stage is InvitationStage),
                })
                .SingleOrDefaultAsync(ct);
            if (flow is null) return null;
            var invitations = await db.Invitations.AsNoTracking().Where(i => i.FlowId == flow.Id)
                .OrderBy(i => i.Name).Take(100)
                .Select(i => new InvitationRow(i.Id, i.Name, i.Expires, i.SingleUse)).ToListAsync(ct);
            return new Result(flow.Name, flow.Slug, flow.Title, flow.Designation, flow.Authentication, flow.DeniedAction,
                flow.PolicyEngineMode, flow.Stages, flow.HasInvitationStage, invitations);
        }
    }
}
