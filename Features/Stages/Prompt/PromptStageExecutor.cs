using System.Globalization;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Enrollment.Resources;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Prompt;

using Prompt = Enrollment.Domain.Prompt;

/// <summary>
/// Shows the stage's prompts prefilled from <c>prompt_data</c> and validates what comes back: required, email,
/// number, choices, matching passwords, the password policies (the stage's, else the default; their rules shown under
/// the field they check), a username that is an email address being the email entered, the stage's other validation
/// policies, and — only when all of that passed — a free username. Read-only
/// and hidden values are the server's, whatever the browser sends. Placeholders and initial values marked as
/// expressions are evaluated (<see cref="IPromptExpressions"/>) each time the stage is shown or submitted. Passwords
/// reach <c>prompt_data</c> hashed (<see cref="PasswordValue"/>).
/// </summary>
internal sealed class PromptStageExecutor(AppDbContext db, UserManager<User> users, PolicyEngine policies, IPromptExpressions expressions, IStringLocalizer<FlowTexts> t) : IStageExecutor
{
    public const string PartialName = "/Features/Stages/Prompt/_PromptStage.cshtml";
    public const string UsernameNotOwnEmail = "A username that is an email address must be your own email address.";
    public const string UsernameTaken = "This username is already taken.";
    public const string Required = "This field is required.";

    /// <summary>Showing the form only reads (its expressions included).</summary>
    public bool Replayable => true;


    /// <summary>A prompt with its expressions evaluated: the initial value (null: none), the placeholder and the choices.</summary>
    private sealed record Resolved(Prompt Prompt, string? Initial, string? Placeholder, IReadOnlyList<string> Choices);

    // The stage comes with its fields (in order) and validation policies: FlowRunner loads them with the binding.
    public async Task<StageOutcome> ShowAsync(StageRun run, CancellationToken ct)
    {
        var rule = await AddressRule.ForAsync(db, run.Context, ct);
        var prompts = ((PromptStage)run.Stage).Fields;
        var fields = (await ResolveAsync(run, ct))
            .Select(r => rule?.Email is { } bound && AddressRule.IsAddressPrompt(r.Prompt, prompts)
                ? new PromptField(r.Prompt, bound, r.Choices, null, r.Placeholder, Locked: true)
                : new PromptField(r.Prompt, r.Prompt.Type == PromptType.Password ? "" : ServerValue(r, run.Context), r.Choices, null, r.Placeholder)).ToList();
        WithPasswordHints(fields, PasswordChecks((PromptStage)run.Stage, fields));
        return new StageOutcome.Show(PartialName, new PromptStageView(run.Stage.Name, fields, []));
    }

    public async Task<StageOutcome> SubmitAsync(StageRun run, IFormCollection form, CancellationToken ct)
    {
        var submitted = new JsonObject();
        var fields = new List<PromptField>();
        var rule = await AddressRule.ForAsync(db, run.Context, ct);
        var prompts = ((PromptStage)run.Stage).Fields;
        foreach (var r in await ResolveAsync(run, ct))
        {
            var p = r.Prompt;
            // Display-only prompts (alerts, static text) show the server's text again after an error, too.
            var raw = PromptValues.IsForcedToServer(p.Type) || PromptValues.IsDisplayOnly(p.Type) ? ServerValue(r, run.Context) : form[p.FieldKey].ToString();
            // Oversize is checked before anything else looks at the value (the username lookup, the policies).
            var max = PromptValues.MaxLengthOf(p);
            var (value, error) = raw.Length > max ? (null, t[PromptValues.TooLong, max]) : Validate(r, raw);
            var address = rule is not null && AddressRule.IsAddressPrompt(p, prompts);
            // The invitation's rule for the address: a different one typed (or posted past the read-only field) is refused.
            if (address && error is null && rule!.Refusal(raw, (k, a) => t[k, a]) is { } refusal) (value, error) = (null, refusal);
            else if (address && error is null && rule!.Email is { } bound) value = JsonValue.Create(bound);
            if (error is null && value is not null && !PromptValues.IsDisplayOnly(p.Type)) submitted[p.FieldKey] = value;
            var shown = p.Type == PromptType.Password ? "" : address && rule!.Email is { } locked ? locked : raw.Length > max ? raw[..max] : raw;
            fields.Add(new PromptField(p, shown, r.Choices, error, r.Placeholder, Locked: address && rule!.Email is not null));
        }
        PasswordsMatch(fields, form);

        // What the stage would leave in prompt_data, passwords masked as every expression sees them.
        var candidate = run.Context.PromptData.DeepClone().AsObject();
        foreach (var (k, v) in submitted) candidate[k] = v?.DeepClone();
        var typed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in fields.Where(f => f.Type == PromptType.Password && submitted.ContainsKey(f.Prompt.FieldKey)))
        {
            typed[f.Prompt.FieldKey] = (string)submitted[f.Prompt.FieldKey]!;
            candidate[f.Prompt.FieldKey] = PasswordValue.Mask;
        }
        UsernamesAreOwnEmail(fields, candidate);
        var checks = PasswordChecks((PromptStage)run.Stage, fields);
        WithPasswordHints(fields, checks);
        await PasswordPoliciesAsync(run, fields, checks, candidate, typed, ct);

        var formErrors = new List<string>();
        if (fields.All(f => f.Error is null))
        {
            var validation = await ValidationPoliciesAsync(run, candidate, checks, ct);
            if (!validation.Passing)
            {
                formErrors.AddRange(validation.Messages);
                if (validation.Errored) formErrors.Add(t[PolicyMessages.EntriesCouldNotCheck]);
                if (formErrors.Count == 0) formErrors.Add(t[PolicyMessages.NotAccepted]);
            }
        }
        // Last, once everything else is right: otherwise a form with one wrong field would answer "is this name taken?"
        // for free, and a script could walk the user list with half-filled forms.
        if (fields.All(f => f.Error is null) && formErrors.Count == 0) await UsernamesFreeAsync(fields, ct);
        if (fields.Any(f => f.Error is not null) || formErrors.Count > 0)
            return new StageOutcome.Show(PartialName, new PromptStageView(run.Stage.Name, fields, formErrors), HasErrors: true);

        HashPasswords(fields, submitted);
        foreach (var (k, v) in submitted) run.Context.PromptData[k] = v?.DeepClone();
        return StageOutcome.Next;
    }

    /// <summary>
    /// Only Identity's hash of a password goes into the plan (<see cref="PasswordValue"/>): the plan is stored while the
    /// flow goes on. Two fields with the same password (password and repeat) share one hash: hashing is the slow part.
    /// </summary>
    private void HashPasswords(List<PromptField> fields, JsonObject submitted)
    {
        var hashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var f in fields.Where(f => f.Type == PromptType.Password))
        {
            if (submitted[f.Prompt.FieldKey] is not JsonValue v || !v.TryGetValue<string>(out var password)) continue;
            if (!hashes.TryGetValue(password, out var hash)) hashes[password] = hash = users.PasswordHasher.HashPassword(new User(), password);
            submitted[f.Prompt.FieldKey] = PasswordValue.Hashed(hash);
        }
    }

    /// <summary><see cref="User.UsernameShadowsEmail"/>, against the email this flow has gathered (<c>prompt_data.email</c>).</summary>
    private void UsernamesAreOwnEmail(List<PromptField> fields, JsonObject candidate)
    {
        var email = candidate["email"] is JsonValue e && e.TryGetValue<string>(out var text) ? text : null;
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            if (f.Type != PromptType.Username || f.Error is not null || candidate[f.Prompt.FieldKey] is not JsonValue v || !v.TryGetValue<string>(out var name)) continue;
            if (User.UsernameShadowsEmail(name, email)) fields[i] = f with { Error = t[UsernameNotOwnEmail] };
        }
    }

    private async Task UsernamesFreeAsync(List<PromptField> fields, CancellationToken ct)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            var f = fields[i];
            if (f.Type != PromptType.Username || f.Value.Trim() is not { Length: > 0 } name) continue;
            if (await UsernameTakenQuery(db, users.NormalizeName(name), ct)) fields[i] = f with { Error = t[UsernameTaken] };
        }
    }

    /// <summary>
    /// The stage's validation policies run in <c>all</c> mode, as authentik's; their messages become form errors. Password
    /// policies checking a field of this stage have already run (<see cref="PasswordPoliciesAsync"/>): their messages
    /// belong under that field.
    /// </summary>
    private async Task<PolicyResult> ValidationPoliciesAsync(StageRun run, JsonObject candidate, IReadOnlyList<PasswordCheck> checks, CancellationToken ct)
    {
        var stagePolicies = ((PromptStage)run.Stage).ValidationPolicies.Where(p => !checks.Any(c => ReferenceEquals(c.Policy, p))).ToList();
        if (stagePolicies.Count == 0) return PolicyResult.Pass;
        var context = run.Context.Data.DeepClone().AsObject();
        context["prompt_data"] = candidate;
        var request = new PolicyRequest(run.Context.PendingUserId ?? run.Http.User.UserId(), new PlanContext(context));
        return await policies.EvaluatePoliciesAsync(stagePolicies, PolicyEngineMode.All, request, ct);
    }

    /// <summary>What the server says the field holds: <c>prompt_data</c> first (this is how invitations prefill), else the initial value.</summary>
    private static string ServerValue(Resolved r, PlanContext context) =>
        PromptDataValue(r.Prompt, context) is { } v ? PromptValues.Text(v) : r.Initial ?? "";

    private static JsonNode? PromptDataValue(Prompt p, PlanContext context) =>
        context.Data[PlanContext.PromptDataKey] is JsonObject data ? data[p.FieldKey] : null;

    /// <summary>
    /// authentik's <c>get_initial_value</c>, <c>get_placeholder</c> and <c>get_choices</c>: an initial-value expression
    /// runs only when <c>prompt_data</c> has no value for the field (a value the invitee controls is never code); a
    /// placeholder expression gives the placeholder, or for radio buttons and dropdowns the list of choices. All of a
    /// stage's expressions are evaluated in one go, with one read of the user and the invitation.
    /// </summary>
    private async Task<List<Resolved>> ResolveAsync(StageRun run, CancellationToken ct)
    {
        var prompts = ((PromptStage)run.Stage).Fields;
        var wanted = new List<PromptExpression>();
        foreach (var p in prompts)
        {
            if (p.PlaceholderExpression) wanted.Add(new PromptExpression(p, PromptExpression.Placeholder, p.Placeholder));
            if (p.InitialValueExpression && PromptDataValue(p, run.Context) is null) wanted.Add(new PromptExpression(p, PromptExpression.InitialValue, p.InitialValue));
        }
        var values = wanted.Count == 0 ? [] : await expressions.EvaluateAsync(wanted, run.Context.PendingUserId ?? run.Http.User.UserId(), run.Context, ct);
        JsonNode? ValueOf(Prompt p, string field)
        {
            var i = wanted.FindIndex(w => ReferenceEquals(w.Prompt, p) && w.Field == field);
            return i >= 0 && values[i].Ok ? values[i].Value : null;
        }

        return prompts.Select(p =>
        {
            var isChoice = p.Type is PromptType.RadioButtonGroup or PromptType.Dropdown;
            var placeholder = p.PlaceholderExpression ? ValueOf(p, PromptExpression.Placeholder) : null;
            var choices = isChoice && p.PlaceholderExpression ? PromptValues.ChoicesOf(placeholder) : PromptValues.Choices(p);
            var shownPlaceholder = isChoice ? null
                : p.PlaceholderExpression ? (placeholder is null ? null : PromptValues.Text(placeholder))
                : p.Placeholder;
            var initial = p.InitialValueExpression ? (ValueOf(p, PromptExpression.InitialValue) is { } v ? PromptValues.Text(v) : null) : p.InitialValue;
            return new Resolved(p, initial, string.IsNullOrEmpty(shownPlaceholder) ? null : shownPlaceholder, choices);
        }).ToList();
    }

    private (JsonNode? Value, string? Error) Validate(Resolved r, string raw)
    {
        var p = r.Prompt;
        if (PromptValues.IsDisplayOnly(p.Type)) return (null, null);
        var text = p.Type is PromptType.Password ? raw : raw.Trim();
        if (p.Type == PromptType.Checkbox)
        {
            var on = text is "on" or "true" or "1";
            return p.Required && !on ? (null, t[Required]) : (JsonValue.Create(on), null);
        }
        if (text.Length == 0) return p.Required && !PromptValues.IsForcedToServer(p.Type) ? (null, t[Required]) : (null, null);
        return p.Type switch
        {
            PromptType.Email when !PromptValues.IsEmail(text) => (null, t["Enter a valid email address."]),
            PromptType.Number when !long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => (null, t["Enter a whole number."]),
            PromptType.Number => (JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture)), null),
            PromptType.Date when !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => (null, t["Enter a date like 2026-12-31."]),
            PromptType.DateTime when !DateTime.TryParseExact(text, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out _) => (null, t["Enter a date and time like 2026-12-31T17:00."]),
            PromptType.RadioButtonGroup or PromptType.Dropdown or PromptType.AkLocale when !r.Choices.Contains(text) => (null, t["Select one of the offered choices."]),
            PromptType.Username => Username(text),
            _ when PromptValues.UserColumnLength(p.FieldKey) is { } column && text.Length > column => (null, t[PromptValues.TooLong, column]),
            _ => (JsonValue.Create(text), null),
        };
    }

    /// <summary>The form of a username; whether it is free is asked last (<see cref="UsernamesFreeAsync"/>).</summary>
    private (JsonNode?, string?) Username(string name)
    {
        var allowed = users.Options.User.AllowedUserNameCharacters;
        if (name.Length > 150 || name.Any(c => !allowed.Contains(c))) return (null, t["Use at most {0} letters, digits and the characters - . _ @ +", 150]);
        return (JsonValue.Create(name), null);
    }

    private static readonly Func<AppDbContext, string, CancellationToken, Task<bool>> UsernameTakenQuery =
        EF.CompileAsyncQuery((AppDbContext db, string normalized, CancellationToken ct) => db.Users.Any(u => u.NormalizedUserName == normalized));

    /// <summary>Exactly two password fields on a stage must match, as in authentik.</summary>
    private void PasswordsMatch(List<PromptField> fields, IFormCollection form)
    {
        var passwords = fields.Select((f, i) => (f, i)).Where(x => x.f.Type == PromptType.Password).ToList();
        if (passwords.Count != 2 || passwords.Any(p => p.f.Error is not null)) return;
        if (form[passwords[0].f.Prompt.FieldKey].ToString() != form[passwords[1].f.Prompt.FieldKey].ToString())
            fields[passwords[1].i] = passwords[1].f with { Error = t["Passwords don't match."] };
    }

    /// <summary>A password policy and the field it checks (by its index in the form's fields).</summary>
    private sealed record PasswordCheck(PasswordPolicy Policy, int Field);

    /// <summary>
    /// Which password policy checks which field: each of the stage's password policies checks the field its
    /// <c>password_field</c> names, when that field is on this stage; a stage with a password field and no password
    /// policy among its validation policies checks the first password field with <see cref="PasswordPolicy.Default"/>.
    /// A password policy naming a field of another stage runs with the other validation policies.
    /// </summary>
    private static List<PasswordCheck> PasswordChecks(PromptStage stage, List<PromptField> fields)
    {
        var bound = stage.ValidationPolicies.OfType<PasswordPolicy>().ToList();
        if (bound.Count == 0)
        {
            var first = fields.FindIndex(f => f.Type == PromptType.Password);
            return first < 0 ? [] : [new PasswordCheck(PasswordPolicy.Default, first)];
        }
        // By name, so the rules and messages of several policies read the same each time.
        return bound.OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => new PasswordCheck(p, fields.FindIndex(f => f.Prompt.FieldKey == p.PasswordField && !PromptValues.IsDisplayOnly(f.Type))))
            .Where(c => c.Field >= 0).ToList();
    }

    /// <summary>The rules, shown once under the field they check (never under the repeat field) before anything is typed.</summary>
    private void WithPasswordHints(List<PromptField> fields, IReadOnlyList<PasswordCheck> checks)
    {
        foreach (var group in checks.GroupBy(c => c.Field))
        {
            var hints = group.Select(c => c.Policy.Hint((k, a) => t[k, a])).Where(h => h is not null).Distinct().ToList();
            if (hints.Count > 0) fields[group.Key] = fields[group.Key] with { Hint = string.Join(" ", hints) };
        }
    }

    /// <summary>
    /// The password policies on the fields they check, whatever the other fields hold, so the invitee learns every
    /// problem at once. A failing policy's messages are that field's error; a policy that could not run says so there.
    /// </summary>
    private async Task PasswordPoliciesAsync(StageRun run, List<PromptField> fields, IReadOnlyList<PasswordCheck> checks, JsonObject candidate,
        IReadOnlyDictionary<string, string> typed, CancellationToken ct)
    {
        // Fields already wrong (empty, too long) are not checked; every policy checking a field adds its messages.
        var wrong = checks.Select(c => c.Field).Where(i => fields[i].Error is not null).ToHashSet();
        foreach (var check in checks)
        {
            var field = fields[check.Field];
            if (wrong.Contains(check.Field)) continue;
            // A password field's value as typed; authentik lets password_field name any field, which is checked as entered.
            var password = typed.GetValueOrDefault(field.Prompt.FieldKey)
                ?? (field.Type != PromptType.Password && candidate[field.Prompt.FieldKey] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null);
            if (password is null) continue; // left empty, and not required: nothing to check
            var passwords = new Dictionary<string, string>(StringComparer.Ordinal) { [check.Policy.PasswordField] = password };
            var context = run.Context.Data.DeepClone().AsObject();
            context[PlanContext.PromptDataKey] = candidate.DeepClone();
            var request = new PolicyRequest(run.Context.PendingUserId ?? run.Http.User.UserId(), new PlanContext(context), passwords);
            var result = await policies.EvaluatePoliciesAsync([check.Policy], PolicyEngineMode.All, request, ct);
            if (result.Passing) continue;
            var messages = result.Messages.Where(m => !string.IsNullOrWhiteSpace(m)).ToList();
            if (result.Errored) messages.Add(t[PolicyMessages.EntriesCouldNotCheck]);
            if (messages.Count == 0) messages.Add(t[PolicyMessages.NotAccepted]);
            fields[check.Field] = field with { Error = string.Join(" ", field.Error is null ? messages : [field.Error, .. messages]) };
        }
    }
}
