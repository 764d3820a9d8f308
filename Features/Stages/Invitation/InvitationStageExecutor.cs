using Enrollment.Domain;
using Enrollment.Features.FlowExecution;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;

namespace Enrollment.Features.Stages.Invitation;

/// <summary>
/// Finds the invitation (<c>itoken</c>, then <c>token</c> in the flow's query, then <c>prompt_data["token"]</c>),
/// puts it in the plan and its fixed data on top of <c>prompt_data</c>. The invitation is only checked here; it is
/// used up when the user is written, so a mail scanner opening the link burns nothing. An invitation bound to an
/// address puts that address in <c>prompt_data["email"]</c>.
/// </summary>
internal sealed class InvitationStageExecutor(AppDbContext db, TimeProvider clock, IStringLocalizer<FlowTexts> t) : AutomaticStage
{
    /// <summary>It only reads the invitation (and counts an open, which only the link's GET does).</summary>
    public override bool Replayable => true;

    public override async Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct)
    {
        var stage = (InvitationStage)run.Stage;
        var linked = run.Context.Query("itoken") ?? run.Context.Query("token");
        var token = linked ?? (string?)(run.Context.PromptData["token"] as System.Text.Json.Nodes.JsonValue);
        await CountOpenAsync(run, linked, ct);
        var (invitation, problem) = await FindAsync(token, run.Flow.Id, ct);
        if (invitation is null)
            return stage.ContinueFlowWithoutInvitation ? StageOutcome.Next : new StageOutcome.Deny(t[problem!]);

        run.Context.InvitationId = invitation.Id;
        run.Context.InvitationInEffect = true;
        PlanContext.DeepMerge(run.Context.PromptData, invitation.FixedData);
        // An invitation bound to an address pre-fills it, over fixed data: the prompt stage shows it read-only.
        if (invitation.Email is { } email) run.Context.PromptData["email"] = email;
        return StageOutcome.Next;
    }

    /// <summary>
    /// A flow started from the invitation's link counts as an open, whatever comes of it: the funnel's middle step.
    /// Only the GET that opened the link reaches this stage with its token (a plan is made from that GET; a POST that
    /// plans again from a browser whose plan was not stored is the same start, so it does not count). One atomic
    /// increment, no row per open: a link opened by a mail scanner a thousand times costs a counter, not a table.
    /// </summary>
    private async Task CountOpenAsync(StageRun run, string? linked, CancellationToken ct)
    {
        if (linked is null || !HttpMethods.IsGet(run.Http.Request.Method) || !Guid.TryParse(linked.Trim(), out var id)) return;
        await db.Invitations.Where(i => i.Id == id).ExecuteUpdateAsync(s => s.SetProperty(i => i.Opens, i => i.Opens + 1), ct);
    }

    private async Task<(Domain.Invitation?, string?)> FindAsync(string? token, Guid flowId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token)) return (null, InvitationMessages.Missing);
        if (!Guid.TryParse(token.Trim(), out var id)) return (null, InvitationMessages.Unknown);
        var invitation = await InvitationQuery(db, id, ct);
        if (invitation is null) return (null, InvitationMessages.Unknown);
        return invitation.ProblemFor(flowId, clock.GetUtcNow().UtcDateTime) is { } problem
            ? (null, InvitationMessages.For(problem))
            : (invitation, null);
    }

    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<Domain.Invitation?>> InvitationQuery =
        EF.CompileAsyncQuery((AppDbContext db, Guid id, CancellationToken ct) => db.Invitations.AsNoTracking().SingleOrDefault(i => i.Id == id));
}
