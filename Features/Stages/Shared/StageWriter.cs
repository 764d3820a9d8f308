using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Stages.Shared;

/// <summary>Copies a posted form onto a (tracked) stage, resolving the prompts, policies and group it names.</summary>
internal static class StageWriter
{
    /// <returns>The form errors; when there are any the caller must not save.</returns>
    public static async Task<IReadOnlyList<FieldError>> ApplyAsync(AppDbContext db, StageForm form, Stage stage, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        stage.Name = form.Name.Trim();
        switch (stage)
        {
            case InvitationStage s:
                s.ContinueFlowWithoutInvitation = form.ContinueFlowWithoutInvitation;
                break;
            case PromptStage s:
                var promptIds = form.Fields.Distinct().ToList();
                var prompts = await db.Prompts.Where(p => promptIds.Contains(p.Id)).ToListAsync(ct);
                if (prompts.Count != promptIds.Count)
                    errors.Add(new(nameof(StageForm.Fields), "A chosen prompt does not exist (any more). Choose again from the list."));
                var policyIds = form.ValidationPolicies.Distinct().ToList();
                var policies = await db.Policies.Where(p => policyIds.Contains(p.Id)).ToListAsync(ct);
                if (policies.Count != policyIds.Count)
                    errors.Add(new(nameof(StageForm.ValidationPolicies), "A chosen policy does not exist (any more). Choose again from the list."));
                // List<T> does not notify EF; DetectChanges diffs against the loaded collections.
                s.Fields.Clear();
                s.Fields.AddRange(prompts);
                s.ValidationPolicies.Clear();
                s.ValidationPolicies.AddRange(policies);
                break;
            case UserWriteStage s:
                if (form.CreateUsersGroup is { } groupId && !await db.Groups.AnyAsync(g => g.Id == groupId, ct))
                    errors.Add(new(nameof(StageForm.CreateUsersGroup), "This group does not exist (any more). Choose another one."));
                s.UserCreationMode = Wire.Parse<UserCreationMode>(form.UserCreationMode);
                s.CreateUsersAsInactive = form.CreateUsersAsInactive;
                s.CreateUsersGroupId = form.CreateUsersGroup;
                s.UserType = Wire.Parse<UserType>(form.UserType);
                s.UserPathTemplate = form.UserPathTemplate?.Trim() ?? "";
                break;
            case UserLoginStage s:
                s.SessionDuration = TimedeltaAttribute.Normalize(form.SessionDuration);
                s.RememberMeOffset = TimedeltaAttribute.Normalize(form.RememberMeOffset);
                s.TerminateOtherSessions = form.TerminateOtherSessions;
                break;
            case EmailStage s:
                if (form.UseTls && form.UseSsl)
                    errors.Add(new(nameof(StageForm.UseSsl), "Choose either TLS (STARTTLS, usually port 587) or SSL (usually port 465), not both."));
                s.UseGlobalSettings = form.UseGlobalSettings;
                s.Host = form.Host?.Trim() ?? "";
                s.Port = form.Port;
                s.Username = form.Username?.Trim() ?? "";
                // The password is never shown: an empty field keeps the stored one; clearing it is explicit.
                if (form.ClearPassword) s.Password = "";
                else if (!string.IsNullOrEmpty(form.Password)) s.Password = form.Password;
                s.UseTls = form.UseTls;
                s.UseSsl = form.UseSsl;
                s.Timeout = form.Timeout;
                s.FromAddress = form.FromAddress?.Trim() ?? "";
                s.TokenExpiry = form.TokenExpiry;
                s.Subject = form.Subject?.Trim() ?? "";
                s.Template = form.Template?.Trim() ?? "";
                s.ActivateUserOnSuccess = form.ActivateUserOnSuccess;
                break;
        }
        return errors;
    }
}
