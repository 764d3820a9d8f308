using System.Globalization;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.FlowExecution.Stages;

/// <summary>One prompt as the form shows it: its value (never a password), its choices and its error.</summary>
public sealed record PromptField(Prompt Prompt, string Value, IReadOnlyList<string> Choices, string? Error)
{
    public PromptType Type => Prompt.Type;
}

public sealed record PromptStageView(string StageName, IReadOnlyList<PromptField> Fields, IReadOnlyList<string> FormErrors);

/// <summary>
/// Shows the stage's prompts prefilled from <c>prompt_data</c> and validates what comes back: required, email,
/// number, choices, free username, matching passwords and Identity's password rules, the stage's validation
/// policies. Read-only and hidden values are the server's, whatever the browser sends.
/// </summary>
internal sealed class PromptStageExecutor(AppDbContext db, UserManager<User> users, PolicyEngine policies) : IStageExecutor
{
    public const string PartialName = "_PromptStage";

    public StageKind Kind => StageKind.Prompt;

    // The stage comes with its fields (in order) and validation policies: FlowRunner loads them with the binding.
    public Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct)
    {
        var fields = ((PromptStage)run.Stage).Fields.Select(p => new PromptField(p, p.Type == PromptType.Password ? "" : ServerValue(p, run.Context), PromptValues.Choices(p), null)).ToList();
        return Task.FromResult<StageOutcome>(new StageOutcome.Show(PartialName, new PromptStageView(run.Stage.Name, fields, [])));
    }

    public async Task<StageOutcome> SubmitAsync(StageRun run, IFormCollection form, CancellationToken ct)
    {
        var submitted = new JsonObject();
        var fields = new List<PromptField>();
        foreach (var p in ((PromptStage)run.Stage).Fields)
        {
            var raw = PromptValues.IsForcedToServer(p.Type) ? ServerValue(p, run.Context) : form[p.FieldKey].ToString();
            var (value, error) = await ValidateAsync(p, raw, ct);
            if (error is null && value is not null && !PromptValues.IsDisplayOnly(p.Type)) submitted[p.FieldKey] = value;
            fields.Add(new PromptField(p, p.Type == PromptType.Password ? "" : raw, PromptValues.Choices(p), error));
        }
        PasswordsMatch(fields, form);
        await PasswordRulesAsync(fields, form);

        var formErrors = new List<string>();
        if (fields.All(f => f.Error is null))
        {
            var candidate = run.Context.PromptData.DeepClone().AsObject();
            foreach (var (k, v) in submitted) candidate[k] = v?.DeepClone();
            var validation = await ValidationPoliciesAsync(run, candidate, ct);
            if (!validation.Passing) formErrors.AddRange(validation.Messages.DefaultIfEmpty("The values entered were not accepted."));
        }
        if (fields.Any(f => f.Error is not null) || formErrors.Count > 0)
            return new StageOutcome.Show(PartialName, new PromptStageView(run.Stage.Name, fields, formErrors), HasErrors: true);

        foreach (var (k, v) in submitted) run.Context.PromptData[k] = v?.DeepClone();
        return StageOutcome.Next;
    }

    /// <summary>The stage's validation policies run in <c>all</c> mode, as authentik's; their messages become form errors.</summary>
    private async Task<PolicyResult> ValidationPoliciesAsync(StageRun run, JsonObject candidate, CancellationToken ct)
    {
        var stagePolicies = ((PromptStage)run.Stage).ValidationPolicies;
        if (stagePolicies.Count == 0) return PolicyResult.Pass;
        var context = run.Context.Data.DeepClone().AsObject();
        context["prompt_data"] = candidate;
        var request = new PolicyRequest(run.Context.PendingUserId, new PlanContext(context));
        return await policies.EvaluatePoliciesAsync(stagePolicies, PolicyEngineMode.All, request, ct);
    }

    /// <summary>What the server says the field holds: <c>prompt_data</c> first (this is how invitations prefill), else the initial value.</summary>
    private static string ServerValue(Prompt p, PlanContext context) =>
        context.PromptData[p.FieldKey] is { } v ? PromptValues.Text(v) : p.InitialValueExpression ? "" : p.InitialValue;

    private async Task<(JsonNode? Value, string? Error)> ValidateAsync(Prompt p, string raw, CancellationToken ct)
    {
        if (PromptValues.IsDisplayOnly(p.Type)) return (null, null);
        var text = p.Type is PromptType.Password ? raw : raw.Trim();
        if (p.Type == PromptType.Checkbox)
        {
            var on = text is "on" or "true" or "1";
            return p.Required && !on ? (null, "This field is required.") : (JsonValue.Create(on), null);
        }
        if (text.Length == 0) return p.Required && !PromptValues.IsForcedToServer(p.Type) ? (null, "This field is required.") : (null, null);
        return p.Type switch
        {
            PromptType.Email when !PromptValues.IsEmail(text) => (null, "Enter a valid email address."),
            PromptType.Number when !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => (null, "Enter a whole number."),
            PromptType.Number => (JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)), null),
            PromptType.Date when !DateOnly.TryParseExact(text, "yyyy-MM-dd", out _) => (null, "Enter a date like 2026-12-31."),
            PromptType.DateTime when !DateTime.TryParseExact(text, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => (null, "Enter a date and time like 2026-12-31T17:00."),
            PromptType.RadioButtonGroup or PromptType.Dropdown or PromptType.AkLocale when !PromptValues.Choices(p).Contains(text) => (null, "Select one of the offered choices."),
            PromptType.Username => await UsernameAsync(text, ct),
            _ => (JsonValue.Create(text), null),
        };
    }

    private async Task<(JsonNode?, string?)> UsernameAsync(string name, CancellationToken ct)
    {
        var allowed = users.Options.User.AllowedUserNameCharacters;
        if (name.Length > 150 || name.Any(c => !allowed.Contains(c))) return (null, "Use at most 150 letters, digits and the characters - . _ @ +");
        var normalized = users.NormalizeName(name);
        return await UsernameTakenQuery(db, normalized, ct) ? (null, "This username is already taken.") : (JsonValue.Create(name), null);
    }

    private static readonly Func<AppDbContext, string, CancellationToken, Task<bool>> UsernameTakenQuery =
        EF.CompileAsyncQuery((AppDbContext db, string normalized, CancellationToken ct) => db.Users.Any(u => u.NormalizedUserName == normalized));

    /// <summary>Exactly two password fields on a stage must match, as in authentik.</summary>
    private static void PasswordsMatch(List<PromptField> fields, IFormCollection form)
    {
        var passwords = fields.Select((f, i) => (f, i)).Where(x => x.f.Type == PromptType.Password).ToList();
        if (passwords.Count != 2 || passwords.Any(p => p.f.Error is not null)) return;
        if (form[passwords[0].f.Prompt.FieldKey].ToString() != form[passwords[1].f.Prompt.FieldKey].ToString())
            fields[passwords[1].i] = passwords[1].f with { Error = "Passwords don't match." };
    }

    /// <summary>ASP.NET Core Identity's password rules, checked where the invitee types the password.</summary>
    private async Task PasswordRulesAsync(List<PromptField> fields, IFormCollection form)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            var value = form[f.Prompt.FieldKey].ToString();
            if (f.Type != PromptType.Password || f.Error is not null || value.Length == 0) continue;
            var problems = new List<string>();
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, new User(), value);
                problems.AddRange(result.Errors.Select(e => e.Description));
            }
            if (problems.Count > 0) fields[i] = f with { Error = string.Join(" ", problems) };
        }
    }
}
