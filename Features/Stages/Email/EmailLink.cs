using Enrollment.Domain;
using Enrollment.Features.FlowExecution.RunFlowStep;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Features.FlowExecution;
using Enrollment.Infrastructure.Identity;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;

namespace Enrollment.Features.Stages.Email;

/// <summary>
/// GET <c>/if/flow/&lt;slug&gt;/?flow_token=…</c> checks the email stage's link and asks for one click (a mail
/// scanner's GET changes nothing). The click marks the address verified, gives this browser the waiting plan (a
/// new plan key, so the browser that held it before no longer does) and continues the flow at a URL without the token.
/// </summary>
internal sealed class EmailLink(AppDbContext db, FlowPlanStore store, TimeProvider clock, IStringLocalizer<FlowTexts> t) : IFlowLink
{
    public string Key => EmailStageMail.QueryKey;

    public async Task<StepResult> OpenAsync(string slug, string token, CancellationToken ct)
    {
        if (await db.Flows.AsNoTracking().SingleOrDefaultAsync(f => f.Slug == slug, ct) is not { } flow) return new StepResult.NotFound();
        var (found, denied) = await FindAsync(flow, token, ct);
        if (denied is not null) return denied;
        return new StepResult.Stage(FlowRunner.Title(flow), "/Features/Stages/Email/_EmailLink.cshtml", new EmailLinkView(token, found!.Email), Guid.Empty);
    }

    public async Task<StepResult> ConfirmAsync(string slug, string token, CancellationToken ct)
    {
        if (await db.Flows.AsNoTracking().SingleOrDefaultAsync(f => f.Slug == slug, ct) is not { } flow) return new StepResult.NotFound();
        var (found, denied) = await FindAsync(flow, token, ct);
        if (denied is not null) return denied;

        var now = clock.GetUtcNow().UtcDateTime;
        return await db.RetryingAsync<StepResult>(async _ =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Conditional: of two clicks at once (two devices, a double click) exactly one verifies.
            var verified = await db.EmailVerifications.Where(v => v.Id == found!.Id && v.Verified == null)
                .ExecuteUpdateAsync(s => s.SetProperty(v => v.Verified, now), ct);
            if (verified != 1) return Deny(flow, EmailLinkMessages.Used, StatusCodes.Status410Gone);
            if (found!.ActivateUser && found.PendingUserId is { } userId) await EmailStageExecutor.ActivateAsync(db, userId, ct);
            if (!await store.GiveToThisBrowserAsync(found.PlanId, flow.Slug, ct)) return Deny(flow, EmailLinkMessages.Ended, StatusCodes.Status410Gone);
            await tx.CommitAsync(ct);
            return new StepResult.Redirect($"/if/flow/{Uri.EscapeDataString(flow.Slug)}/", Navigate: true);
        }, ct);
    }

    private sealed record Found(Guid Id, string Email, Guid PlanId, int? PendingUserId, bool ActivateUser);

    private async Task<(Found?, StepResult?)> FindAsync(Flow flow, string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100) return (null, Deny(flow, EmailLinkMessages.Unknown, StatusCodes.Status404NotFound));
        var digest = ApiTokenAuthenticationHandler.Digest(token.Trim());
        var row = await db.EmailVerifications.AsNoTracking().Where(v => v.KeyHash == digest && v.FlowPlan.FlowId == flow.Id)
            .Select(v => new { v.Id, v.Email, v.StageId, v.Expires, v.Verified, Plan = v.FlowPlan })
            .SingleOrDefaultAsync(ct);
        if (row is null) return (null, Deny(flow, EmailLinkMessages.Unknown, StatusCodes.Status404NotFound));
        var now = clock.GetUtcNow().UtcDateTime;
        if (row.Verified is not null) return (null, Deny(flow, EmailLinkMessages.Used, StatusCodes.Status410Gone));
        if (row.Plan.Expires <= now) return (null, Deny(flow, EmailLinkMessages.Ended, StatusCodes.Status410Gone));
        if (row.Expires <= now) return (null, Deny(flow, EmailLinkMessages.Expired, StatusCodes.Status410Gone));

        // The plan must still wait at this email stage.
        var current = row.Plan.Current < row.Plan.Bindings.Count && Guid.TryParse((string?)row.Plan.Bindings[row.Plan.Current], out var b) ? b : (Guid?)null;
        var stage = current is null ? null : await db.FlowStageBindings.AsNoTracking().Where(x => x.Id == current).Select(x => x.Stage).SingleOrDefaultAsync(ct);
        if (stage is not EmailStage email || email.Id != row.StageId) return (null, Deny(flow, EmailLinkMessages.MovedOn, StatusCodes.Status410Gone));

        var context = new PlanContext(row.Plan.Context);
        return (new Found(row.Id, row.Email, row.Plan.Id, context.PendingUserId, email.ActivateUserOnSuccess), null);
    }

    private StepResult.Denied Deny(Flow flow, string message, int status) => new(FlowRunner.Title(flow), t[message], status);
}
