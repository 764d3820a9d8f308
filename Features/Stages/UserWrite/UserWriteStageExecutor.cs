using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Telemetry;
using Enrollment.Infrastructure.FlowExecution;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

using Enrollment.Features.FlowExecution;
using Enrollment.Resources;
using Microsoft.Extensions.Localization;

namespace Enrollment.Features.Stages.UserWrite;

/// <summary>
/// Writes <c>prompt_data</c> onto a new or the pending user and, in the same transaction, counts the invitation's use
/// and records it (<see cref="InvitationUse"/>): of concurrent enrollments on an invitation admitting N, exactly N commit.
/// The invitation's address rule is checked once more on the address being saved; its groups are joined with the
/// stage's group in that transaction (a group deleted since is skipped and recorded as a <c>configuration_warning</c>).
/// </summary>
internal sealed class UserWriteStageExecutor(
    AppDbContext db, UserManager<User> users, FlowPlanStore store, AuditTrail audit, TimeProvider clock, ILogger<UserWriteStageExecutor> log,
    EnrollmentMetrics metrics, IStringLocalizer<FlowTexts> t)
    : AutomaticStage
{
    public const string NoPendingData = "No Pending data.";
    public const string SaveFailed = "Failed to update user. Please try again later.";
    public const string UsernameTaken = "The username “{0}” is already taken. Failed to update user. Please try again later.";


    public override async Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct)
    {
        var stage = (UserWriteStage)run.Stage;
        // An empty prompt_data is no data either: reading it (the invitation stage looks for a token there) creates it.
        if (!run.Context.HasPromptData || run.Context.PromptData.Count == 0) return new StageOutcome.Deny(t[NoPendingData]);
        var data = run.Context.PromptData;

        // Everything from loading the user on is one unit: a transient failure (PostgreSQL, SQL Server) runs it again
        // from a clean change tracker.
        var version = run.Plan.Version;
        return await db.RetryingAsync<StageOutcome>(async _ =>
        {
            run.Plan.Version = version; // a rolled-back try did not move it
            var user = run.Context.PendingUserId is { } pending && stage.UserCreationMode != UserCreationMode.AlwaysCreate
                ? await db.Users.Include(u => u.Groups).SingleOrDefaultAsync(u => u.Id == pending, ct)
                : null;
            if (user is null && stage.UserCreationMode == UserCreationMode.NeverCreate) return new StageOutcome.Deny(t["No user found and can't create new user."]);
            var creating = user is null;
            user ??= NewUser(stage, run.Context);
            UserMapping.Apply(user, data, users.PasswordHasher); // hashing (~50 ms) stays outside the transaction
            if (User.UsernameShadowsEmail(user.UserName, user.Email))
            {
                // The prompt stage says so next to the field; a flow whose data comes from elsewhere (fixed data) ends here.
                if (!creating) db.Entry(user).State = EntityState.Detached; // nothing of the refused write is saved later in this request
                return new StageOutcome.Deny(t[User.UsernameIsAnotherEmail]);
            }
            if (user.TooLong((k, a) => t[k, a]) is { } tooLong)
            {
                if (!creating) db.Entry(user).State = EntityState.Detached;
                return new StageOutcome.Deny(tooLong);
            }
            var binding = run.Context.InvitationId is { } bindingId ? await BindingQuery(db, bindingId, ct) : null;
            // The invitation's address rule, asked again of the address about to be saved, wherever it came from.
            if (binding is not null && InvitationAddresses.Refusal(binding.Email, binding.EmailDomains, user.Email, (k, a) => t[k, a]) is { } refusal)
            {
                if (!creating) db.Entry(user).State = EntityState.Detached;
                return new StageOutcome.Deny(refusal);
            }
            // The link went to that address: following it proved the address.
            if (binding?.Email is { } proven && InvitationAddresses.SameAddress(proven, user.Email)) user.Attributes["email_verified"] = true;
            var groups = await GroupsAsync(stage, run.Context, ct);
            var missingGroups = new List<Guid>();
            if (binding is { Groups.Count: > 0 })
            {
                var found = await db.Groups.Where(g => binding.Groups.Contains(g.Id)).ToListAsync(ct);
                groups.AddRange(found.Where(g => groups.All(x => x.Id != g.Id)));
                missingGroups.AddRange(binding.Groups.Where(id => found.All(g => g.Id != id)));
            }

            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // The plan first: of two requests of one browser carrying the same plan (a double submit that reached two
            // instances), one writes the user; the other waits for its commit here and follows it.
            if (!await store.TakeAsync(run.Plan, ct)) return new StageOutcome.Superseded();
            (int Uses, int? MaxUses)? consumed = null;
            if (run.Context.InvitationId is { } invitationId)
            {
                consumed = await ConsumeAsync(invitationId, run.Flow.Id, ct);
                if (consumed is null) return new StageOutcome.Deny(t[await WhyUnusableAsync(invitationId, run.Flow.Id, ct)]);
            }
            foreach (var g in groups.Where(g => user.Groups.All(x => x.Id != g.Id))) user.Groups.Add(g);
            IdentityResult result;
            try
            {
                result = creating ? await users.CreateAsync(user) : await users.UpdateAsync(user);
            }
            catch (DbUpdateException e)
            {
                // Identity checks the username first, but two enrollments choosing it at once both pass that check; the
                // unique index refuses the second. Roll back and say why instead of failing the request.
                log.LogWarning(e, "User write failed");
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                var normalized = users.NormalizeName(user.UserName);
                var taken = await db.Users.AsNoTracking().AnyAsync(u => u.NormalizedUserName == normalized && u.Id != user.Id, ct);
                return new StageOutcome.Deny(taken ? t[UsernameTaken, user.UserName ?? ""] : t[SaveFailed]);
            }
            if (!result.Succeeded)
            {
                log.LogWarning("User write failed: {Errors}", string.Join(" ", result.Errors.Select(e => e.Description)));
                return new StageOutcome.Deny(result.Errors.Any(e => e.Code == "DuplicateUserName") ? t[UsernameTaken, user.UserName ?? ""] : t[SaveFailed]);
            }
            // The plan records the write in the same transaction: a retry after a lost answer continues past it.
            var written = run.Plan.Context.DeepClone().AsObject();
            new PlanContext(written).PendingUserId = user.Id;
            await store.CheckpointAsync(run.Plan, run.Plan.Current + 1, written, ct);
            audit.Record("user_write", new JsonObject { ["created"] = creating, ["username"] = user.UserName, ["invitation"] = run.Context.InvitationId?.ToString() }, user);
            if (run.Context.InvitationId is { } used)
            {
                db.InvitationUses.Add(new InvitationUse
                {
                    InvitationId = used, UserId = user.Id, Created = clock.GetUtcNow().UtcDateTime,
                    ClientIp = run.Http.Connection.RemoteIpAddress?.ToString(), FlowId = run.Flow.Id,
                });
                audit.Record("invitation_used", new JsonObject
                {
                    ["invitation"] = used.ToString(), ["username"] = user.UserName, ["flow"] = run.Flow.Slug,
                    ["uses"] = consumed!.Value.Uses, ["max_uses"] = consumed.Value.MaxUses,
                }, user);
            }
            foreach (var missing in missingGroups)
                audit.Record("configuration_warning", new JsonObject
                {
                    ["message"] = $"The invitation's group {missing} no longer exists; the user was not added to it.",
                    ["invitation"] = run.Context.InvitationId?.ToString(), ["group"] = missing.ToString(), ["username"] = user.UserName, ["flow"] = run.Flow.Slug,
                }, user);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            if (run.Context.InvitationId is not null) metrics.InvitationUsed(run.Flow.Slug);
            run.Context.PendingUserId = user.Id;
            return StageOutcome.Next;
        }, ct);
    }

    /// <summary>
    /// One conditional UPDATE: it changes a row only while the invitation is still usable (fewer uses than it admits), so
    /// of concurrent writers past the limit none finds a row. Returns the counts after this use, read in the same
    /// transaction (the row stays locked until the commit), or null when the invitation could not be used.
    /// </summary>
    private async Task<(int Uses, int? MaxUses)?> ConsumeAsync(Guid id, Guid flowId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var changed = await db.Invitations
            .Where(i => i.Id == id).Where(Domain.Invitation.UsableFor(flowId, now))
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.Uses, i => i.Uses + 1).SetProperty(i => i.LastUsed, now), ct);
        if (changed != 1) return null;
        var counts = await db.Invitations.AsNoTracking().Where(i => i.Id == id).Select(i => new { i.Uses, i.MaxUses }).SingleAsync(ct);
        return (counts.Uses, counts.MaxUses);
    }

    /// <summary>Why the invitation could not be used up: it may have expired, been used or been deleted since the invitation stage checked it.</summary>
    private async Task<string> WhyUnusableAsync(Guid id, Guid flowId, CancellationToken ct)
    {
        var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct);
        if (invitation is null) return InvitationMessages.Unknown;
        // Usable again when read (edited in between, say): the use did not count all the same.
        return invitation.ProblemFor(flowId, clock.GetUtcNow().UtcDateTime) is { } problem ? InvitationMessages.For(problem) : InvitationMessages.Used;
    }

    /// <summary>What the invitation binds its users to: the address or domains they must use, the groups they join.</summary>
    private sealed record Binding(string? Email, List<string> EmailDomains, List<Guid> Groups);

    private static Task<Binding?> BindingQuery(AppDbContext db, Guid id, CancellationToken ct) =>
        db.Invitations.AsNoTracking().Where(i => i.Id == id)
            .Select(i => new Binding(i.Email, i.EmailDomains, i.Groups.Select(g => g.GroupId).ToList())).SingleOrDefaultAsync(ct);

    private static User NewUser(UserWriteStage stage, PlanContext context) => new()
    {
        IsActive = !stage.CreateUsersAsInactive || context.ActivateUserOnWrite, // verified by an email stage that activates
        Path = !string.IsNullOrWhiteSpace(context.UserPath) ? context.UserPath.Trim('/')
            : string.IsNullOrWhiteSpace(stage.UserPathTemplate) ? "users" : stage.UserPathTemplate.Trim().Trim('/'),
        Type = Wire.TryParse<UserType>(context.UserType, out var type) ? type : stage.UserType,
    };

    private async Task<List<Group>> GroupsAsync(UserWriteStage stage, PlanContext context, CancellationToken ct)
    {
        var names = context.Groups;
        var ids = names.Select(n => Guid.TryParse(n, out var g) ? g : (Guid?)null).OfType<Guid>().ToList();
        var groups = names.Count == 0 ? [] : await db.Groups.Where(g => names.Contains(g.Name) || ids.Contains(g.Id)).ToListAsync(ct);
        if (stage.CreateUsersGroupId is { } id && groups.All(g => g.Id != id) && await db.Groups.FindAsync([id], ct) is { } group)
            groups.Add(group);
        return groups;
    }
}
