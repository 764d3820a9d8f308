using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.FlowExecution;

using Enrollment.Features.Stages.Shared;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;

namespace Enrollment.Features.Stages.UserLogin;

/// <summary>Signs the pending user in with an Identity cookie that lasts <c>session_duration</c> (0: until the browser closes).</summary>
internal sealed class UserLoginStageExecutor(AppDbContext db, SignInManager<User> signIn, AuditTrail audit, TimeProvider clock, IStringLocalizer<FlowTexts> t) : AutomaticStage
{
    public const string NoPendingUser = "No Pending user to login.";


    public override async Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct)
    {
        var stage = (UserLoginStage)run.Stage;
        // FindAsync: right after the user write stage in the same request, the user is already tracked (no query).
        if (run.Context.PendingUserId is not { } id || await db.Users.FindAsync([id], ct) is not { } user)
            return new StageOutcome.Deny(t[NoPendingUser]);
        if (!user.IsActive) return new StageOutcome.Deny(t["Your account is not active yet. You will be able to sign in once it is activated."]);

        var duration = Timedelta.Parse(stage.SessionDuration);
        var properties = duration > TimeSpan.Zero
            ? new AuthenticationProperties { IsPersistent = true, ExpiresUtc = clock.GetUtcNow() + duration }
            : new AuthenticationProperties { IsPersistent = false };
        await signIn.SignInAsync(user, properties); // also makes the new principal this request's User
        user.LastLogin = clock.GetUtcNow().UtcDateTime;
        audit.Record("login", new JsonObject { ["flow"] = run.Flow.Slug, ["invitation"] = run.Context.InvitationId?.ToString() }, user);
        await db.SaveChangesAsync(ct);
        run.Context.Data["message"] = t["Successfully logged in!"].Value; // the flash on the page the flow ends at
        return StageOutcome.Next;
    }
}

