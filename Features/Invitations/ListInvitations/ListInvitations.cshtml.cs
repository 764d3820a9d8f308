using Enrollment.Domain;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Invitations.ListInvitations;

public sealed class ListInvitations(ISender sender) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [FromQuery(Name = "page")] public int PageNumber { get; set; } = 1;
    /// <summary>active, expired or used_up; anything else lists every invitation.</summary>
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    public Result Data { get; private set; } = null!;
    public InvitationFunnel Funnel { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        Data = await sender.Send(new Query(Q, PageNumber, Status));
        // The funnel sits outside the rows: a search that swaps only the rows does not need it.
        if (!Request.WantsFragment()) Funnel = await sender.Send(new InvitationFunnel.Query(null));
        return this.PageOrPartial("_InvitationRows", Data);
    }

    public sealed record Query(string? Q, int Page, string? Status = null) : IQuery<Result>;

    public sealed record Row(Guid Id, string Name, string? FlowName, string? FlowSlug, DateTime? Expires, bool SingleUse, string? CreatedBy, bool Expired, bool UsedUp, int Uses)
    {
        public int? MaxUses { get; init; }
        public DateTime? LastUsed { get; init; }

        /// <summary>As <see cref="Invitation.StatusAt"/> decides: used up before expired.</summary>
        public InvitationStatus Status => UsedUp ? InvitationStatus.UsedUp : Expired ? InvitationStatus.Expired : InvitationStatus.Active;
    }

    public sealed record Result(string? Q, Paged<Row> Invitations)
    {
        /// <summary>The status filter in force (its wire name), or null for every invitation.</summary>
        public string? Status { get; init; }
    }

    internal sealed class Handler(AppDbContext db, TimeProvider clock) : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var invitations = db.Invitations.AsNoTracking();
            var status = Wire.TryParse<InvitationStatus>(query.Status, out var wanted) ? wanted : (InvitationStatus?)null;
            if (status is { } s) invitations = invitations.Where(Invitation.HasStatus(s, now));
            if (!string.IsNullOrWhiteSpace(query.Q))
            {
                var like = Paging.LikePattern(query.Q);
                invitations = invitations.Where(i => EF.Functions.Like(i.Name.ToLower(), like, "\\"));
            }
            // Newest expiry first, as authentik orders them; never-expiring ones after those that do.
            var page = await invitations
                .OrderBy(i => i.Expires == null).ThenByDescending(i => i.Expires).ThenBy(i => i.Name)
                .SelectWith(Invitation.ExpiredAt(now), Invitation.UsedUp, (i, expired, usedUp) =>
                    new Row(i.Id, i.Name, i.Flow!.Name, i.Flow.Slug, i.Expires, i.SingleUse, i.CreatedBy!.UserName, expired, usedUp, i.Uses)
                    {
                        MaxUses = i.MaxUses, LastUsed = i.LastUsed,
                    })
                .ToPagedAsync(query.Page, ct: ct);
            return new Result(query.Q, page) { Status = status is { } f ? Wire.Name(f) : null };
        }
    }
}
