using Enrollment.Domain;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Email;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.Stages.Invitation;

namespace Enrollment.Features.Invitations.BulkInviteProgress;

/// <summary>
/// One bulk invitation run: what was asked, the rows left out, and how far its emails have got. The progress part
/// polls itself with htmx (<see cref="OnGetProgressAsync"/> → <c>_Progress</c>) until every email is sent or
/// failed; without JavaScript the page refreshes itself while the run is going.
/// </summary>
public sealed class BulkInviteProgress(ISender sender) : PageModel
{
    [FromRoute] public Guid Id { get; set; }
    public Result Data { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync()
    {
        var data = await sender.Send(new Query(Id));
        if (data is null) return NotFound();
        Data = data;
        return Page();
    }

    /// <summary>Just the progress (counts and the recipients in trouble), for htmx polling.</summary>
    public async Task<IActionResult> OnGetProgressAsync()
    {
        var progress = await sender.Send(new ProgressQuery(Id));
        return progress is null ? NotFound() : Partial("_Progress", progress);
    }

    public sealed record Query(Guid Id) : IQuery<Result?>;

    public sealed record ProgressQuery(Guid Id) : IQuery<Progress?>;

    public sealed record Result(Guid Id, string NamePrefix, string? FlowName, string? FlowSlug, string? CreatedBy, DateTime Created,
        DateTime? Expires, bool SingleUse, int Total, IReadOnlyList<RejectedRow> Rejected, IReadOnlyList<string> Warnings, Progress Progress);

    /// <summary>Where the run's emails stand, from its deliveries.</summary>
    public sealed record Progress(Guid Id, int Queued, int Sending, int Sent, int Retrying, int Failed, IReadOnlyList<Trouble> Troubles)
    {
        public int Count => Queued + Sending + Sent + Retrying + Failed;
        public int Done => Sent + Failed;
        public bool Finished => Queued + Sending + Retrying == 0;
        public int Percent => Count == 0 ? 100 : (int)(100L * Done / Count);
    }

    /// <summary>A recipient whose email failed or is waiting to be retried, with the SMTP server's answer.</summary>
    public sealed record Trouble(Guid InvitationId, string InvitationName, string Email, DeliveryState State, int Attempts, string? Error, DateTime? NextAttempt);

    /// <summary>How many recipients in trouble the page lists (the counts include all of them).</summary>
    public const int TroublesShown = 50;

    internal sealed class Handler(AppDbContext db, SmtpSettings smtp) : IQueryHandler<Query, Result?>
    {
        public async ValueTask<Result?> Handle(Query query, CancellationToken ct)
        {
            var run = await db.BulkInvitations.AsNoTracking().Where(b => b.Id == query.Id)
                .Select(b => new
                {
                    b.Id, FlowName = b.Flow!.Name, FlowSlug = b.Flow.Slug, CreatedBy = b.CreatedBy!.UserName, b.Created, b.Expires,
                    b.SingleUse, b.Total, b.Rejected, HasFlow = b.FlowId != null,
                    HasInvitationStage = b.Flow.Bindings.Any(x => x.Stage is InvitationStage),
                })
                .SingleOrDefaultAsync(ct);
            if (run is null) return null;
            var warnings = new List<string>();
            if (!run.HasFlow) warnings.Add("The flow of these invitations was deleted: they have no link, and emails not sent yet will fail.");
            else if (!run.HasInvitationStage) warnings.Add("Its flow has no invitation stage bound: the invitations are never checked and their data never applied. Bind an invitation stage to the flow.");
            if (smtp.UsesPickupDirectory) warnings.Add("No SMTP server is configured (Email:Host): the emails are written as .eml files to the mail folder of the data directory instead of being sent.");
            var progress = await ProgressAsync(db, query.Id, ct);
            return new Result(run.Id, BulkInvitationNames.Prefix(run.Id), run.FlowName, run.FlowSlug, run.CreatedBy, run.Created, run.Expires, run.SingleUse,
                run.Total, run.Rejected.Select(RejectedRow.FromJson).ToList(), warnings, progress);
        }
    }

    internal sealed class ProgressHandler(AppDbContext db) : IQueryHandler<ProgressQuery, Progress?>
    {
        public async ValueTask<Progress?> Handle(ProgressQuery query, CancellationToken ct) =>
            await db.BulkInvitations.AnyAsync(b => b.Id == query.Id, ct) ? await ProgressAsync(db, query.Id, ct) : null;
    }

    private static async Task<Progress> ProgressAsync(AppDbContext db, Guid id, CancellationToken ct)
    {
        // The invitations' own emails; their reminders are counted on each invitation's page.
        var counts = await db.InvitationDeliveries.AsNoTracking().Where(d => d.BulkInvitationId == id && !d.IsReminder)
            .GroupBy(d => d.State).Select(g => new { State = g.Key, Count = g.Count() })
            .ToDictionaryAsync(x => x.State, x => x.Count, ct);
        var troubles = await db.InvitationDeliveries.AsNoTracking()
            .Where(d => d.BulkInvitationId == id && !d.IsReminder && (d.State == DeliveryState.Failed || d.State == DeliveryState.Retrying))
            .OrderBy(d => d.State).ThenBy(d => d.Email).Take(TroublesShown)
            .Select(d => new Trouble(d.InvitationId, d.Invitation.Name, d.Email, d.State, d.Attempts, d.LastError, d.NextAttempt))
            .ToListAsync(ct);
        int Count(DeliveryState s) => counts.GetValueOrDefault(s);
        return new Progress(id, Count(DeliveryState.Queued), Count(DeliveryState.Sending), Count(DeliveryState.Sent),
            Count(DeliveryState.Retrying), Count(DeliveryState.Failed), troubles);
    }
}
