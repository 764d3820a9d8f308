using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.FlowExecution.Stages;

/// <summary>
/// Finds the invitation (<c>itoken</c>, then <c>token</c> in the flow's query, then <c>prompt_data["token"]</c>),
/// puts it in the plan and its fixed data on top of <c>prompt_data</c>. The invitation is only checked here; it is
/// used up when the user is written, so a mail scanner opening the link burns nothing.
/// </summary>
internal sealed class InvitationStageExecutor(AppDbContext db, TimeProvider clock) : AutomaticStage
{
    public override StageKind Kind => StageKind.Invitation;

    public override async Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct)
    {
        var stage = (InvitationStage)run.Stage;
        var token = run.Context.Query("itoken") ?? run.Context.Query("token") ?? (string?)(run.Context.PromptData["token"] as System.Text.Json.Nodes.JsonValue);
        var (invitation, problem) = await FindAsync(token, run.Flow.Id, ct);
        if (invitation is null)
            return stage.ContinueFlowWithoutInvitation ? StageOutcome.Next : new StageOutcome.Deny(problem!);

        run.Context.InvitationId = invitation.Id;
        run.Context.InvitationInEffect = true;
        PlanContext.DeepMerge(run.Context.PromptData, invitation.FixedData);
        return StageOutcome.Next;
    }

    private async Task<(Invitation?, string?)> FindAsync(string? token, Guid flowId, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token)) return (null, InvitationMessages.Missing);
        if (!Guid.TryParse(token.Trim(), out var id)) return (null, InvitationMessages.Unknown);
        var invitation = await InvitationQuery(db, id, ct);
        if (invitation is null) return (null, InvitationMessages.Unknown);
        return invitation.ProblemFor(flowId, clock.GetUtcNow().UtcDateTime) is { } problem
            ? (null, InvitationMessages.For(problem))
            : (invitation, null);
    }

    private static readonly Func<AppDbContext, Guid, CancellationToken, Task<Invitation?>> InvitationQuery =
        EF.CompileAsyncQuery((AppDbContext db, Guid id, CancellationToken ct) => db.Invitations.AsNoTracking().SingleOrDefault(i => i.Id == id));
}

/// <summary>What the invitee reads when an invitation cannot be used: one message per cause, not one for all.</summary>
public static class InvitationMessages
{
    public const string Missing = "This page can only be used with an invitation. Open the link from your invitation email or message.";
    public const string Unknown = "This invitation link is not valid. Check that you opened the whole link, or ask for a new invitation.";
    public const string Expired = "This invitation has expired. Ask the person who invited you for a new one.";
    public const string Used = "This invitation has already been used. Ask the person who invited you for a new one.";
    public const string WrongFlow = "This invitation is not meant for this page. Open the link exactly as it was sent to you.";

    public static string For(InvitationProblem problem) => problem switch
    {
        InvitationProblem.Expired => Expired,
        InvitationProblem.UsedUp => Used,
        _ => WrongFlow,
    };
}
