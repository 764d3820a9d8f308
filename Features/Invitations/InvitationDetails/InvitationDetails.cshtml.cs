using Enrollment.Infrastructure.Serialization;
using System.Text.Json;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.Stages.Invitation;

namespace Enrollment.Features.Invitations.InvitationDetails;

public sealed partial class InvitationDetails(ISender sender) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        var data = await sender.Send(new Query(Id));
        if (data is null) return NotFound();
        Data = data;
        if (await sender.Send(new DeliveriesQuery(Id)) is not { } deliveries) return NotFound(); // deleted in between
        DeliveryTable = deliveries;
        Binding = await sender.Send(new BindingQuery(Id));
        Funnel = await sender.Send(new Shared.InvitationFunnel.Query(Id));
        Uses = await sender.Send(new UsesQuery(Id));
        return Page();
    }

    public Shared.InvitationFunnel Funnel { get; private set; } = null!;
    public UsesView Uses { get; private set; } = null!;

    public const int MaxUsesShown = 200;

    public sealed record UsesQuery(Guid InvitationId) : IQuery<UsesView>;

    /// <param name="Username">Null once the user was deleted (the use stays).</param>
    public sealed record UseRow(int? UserId, string? Username, DateTime Created, string? ClientIp);

    public sealed record UsesView(IReadOnlyList<UseRow> Rows, int Total);

    internal sealed class UsesHandler(AppDbContext db) : IQueryHandler<UsesQuery, UsesView>
    {
        public async ValueTask<UsesView> Handle(UsesQuery query, CancellationToken ct)
        {
            var uses = db.InvitationUses.AsNoTracking().Where(u => u.InvitationId == query.InvitationId);
            var rows = await uses.OrderByDescending(u => u.Created).ThenBy(u => u.Id).Take(MaxUsesShown)
                .Select(u => new UseRow(u.UserId, u.User == null ? null : u.User.UserName, u.Created, u.ClientIp))
                .ToListAsync(ct);
            return new UsesView(rows, rows.Count < MaxUsesShown ? rows.Count : await uses.CountAsync(ct));
        }
    }

    public sealed record Query(Guid Id) : IQuery<Result?>;

    public sealed record Result(Guid Id, string Name, string? FlowName, string? FlowSlug, DateTime? Expires, bool SingleUse,
        string? CreatedBy, DateTime Created, int Uses, DateTime? LastUsed, string FixedDataJson, IReadOnlyList<string> Warnings)
    {
        public int? MaxUses { get; init; }
        public int Opens { get; init; }
        public InvitationStatus Status { get; init; }
    }

    internal sealed class Handler(AppDbContext db, TimeProvider clock) : IQueryHandler<Query, Result?>
    {
        public async ValueTask<Result?> Handle(Query query, CancellationToken ct)
        {
            var i = await db.Invitations.AsNoTracking().Where(x => x.Id == query.Id)
                .SelectWith(Invitation.ExpiredAt(clock.GetUtcNow().UtcDateTime), Invitation.UsedUp, (x, expired, usedUp) => new
                {
                    x.Id, x.Name, FlowName = x.Flow!.Name, FlowSlug = x.Flow.Slug, x.Expires, x.SingleUse,
                    CreatedBy = x.CreatedBy!.UserName, x.Created, x.FixedData, x.Uses, x.LastUsed, x.MaxUses, x.Opens,
                    HasInvitationStage = x.Flow.Bindings.Any(b => b.Stage is InvitationStage),
                    Expired = expired, UsedUp = usedUp,
                })
                .SingleOrDefaultAsync(ct);
            if (i is null) return null;
            // What would stop the invitee, said to the admin before the invitee finds out.
            var warnings = new List<string>();
            if (i.FlowSlug is null) warnings.Add("This invitation has no flow, so no link can be built for it.");
            else if (!i.HasInvitationStage) warnings.Add("Its flow has no invitation stage bound: the invitation is never checked and its data never applied. Bind an invitation stage to the flow.");
            if (i.Expired) warnings.Add("This invitation has expired; its link no longer works.");
            if (i.UsedUp) warnings.Add(i.MaxUses == 1
                ? "This single-use invitation has been used; its link no longer works."
                : $"This invitation has been used {i.Uses} times, as many as it admits; its link no longer works.");
            return new Result(i.Id, i.Name, i.FlowName, i.FlowSlug, i.Expires, i.SingleUse, i.CreatedBy, i.Created,
                i.Uses, i.LastUsed, StructuredText.Format(i.FixedData), warnings)
            {
                MaxUses = i.MaxUses, Opens = i.Opens,
                Status = i.UsedUp ? InvitationStatus.UsedUp : i.Expired ? InvitationStatus.Expired : InvitationStatus.Active,
            };
        }
    }
}
