using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Features.Stages.Shared;
using Enrollment.Infrastructure.Email;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>The stage kinds Enrollment runs, their prompts and invitations, under authentik's model names.</summary>
internal static partial class StageModels
{
    public const string InvitationStageName = "authentik_stages_invitation.invitationstage";
    public const string InvitationName = "authentik_stages_invitation.invitation";
    public const string PromptName = "authentik_stages_prompt.prompt";
    public const string PromptStageName = "authentik_stages_prompt.promptstage";
    public const string UserWriteStageName = "authentik_stages_user_write.userwritestage";
    public const string UserLoginStageName = "authentik_stages_user_login.userloginstage";
    public const string EmailStageName = "authentik_stages_email.emailstage";

    [GeneratedRegex("^[-a-zA-Z0-9_]+$")]
    private static partial Regex InvitationNamePattern();

    [GeneratedRegex(@"^[-a-zA-Z0-9_.]+$")]
    private static partial Regex FieldKeyPattern();

    /// <summary>Every stage kind shares the name (unique across kinds, as in authentik) and the pk.</summary>
    private static BlueprintModel<T> StageModel<T>(string name, Func<T> create, IReadOnlyList<Field<T>> fields, IReadOnlySet<string>? ignored = null)
        where T : Stage => new()
    {
        Name = name,
        New = create,
        PkField = Keys.Guid<T>(x => x.Id),
        GetPk = x => x.Id,
        Fields = [Fields<T>.Text("name", x => x.Name, required: true, maxLength: 200), .. fields],
        Ignored = ignored ?? new HashSet<string>(),
        Required = [["name"]],
    };

    public static IBlueprintModel InvitationStage() => StageModel(InvitationStageName, () => new InvitationStage { Name = "" },
    [
        Fields<InvitationStage>.Flag("continue_flow_without_invitation", x => x.ContinueFlowWithoutInvitation),
    ]);

    public static IBlueprintModel PromptStage() => StageModel(PromptStageName, () => new PromptStage { Name = "" },
    [
        Fields<PromptStage>.Many<Prompt>("fields", PromptName, nameof(Domain.PromptStage.Fields), x => x.Fields),
        Fields<PromptStage>.Many<Policy>("validation_policies", PolicyModels.ExpressionPolicyName, nameof(Domain.PromptStage.ValidationPolicies), x => x.ValidationPolicies),
    ]);

    public static IBlueprintModel UserWriteStage() => StageModel(UserWriteStageName, () => new UserWriteStage { Name = "" },
    [
        Fields<UserWriteStage>.Choice("user_creation_mode", x => x.UserCreationMode),
        Fields<UserWriteStage>.Flag("create_users_as_inactive", x => x.CreateUsersAsInactive),
        Fields<UserWriteStage>.Reference<Domain.Group>("create_users_group", CoreModels.GroupName, x => x.CreateUsersGroupId),
        Fields<UserWriteStage>.Choice("user_type", x => x.UserType),
        Fields<UserWriteStage>.Text("user_path_template", x => x.UserPathTemplate, maxLength: 200),
    ]);

    public static IBlueprintModel UserLoginStage() => StageModel(UserLoginStageName, () => new UserLoginStage { Name = "" },
    [
        Timedelta("session_duration", x => x.SessionDuration),
        Timedelta("remember_me_offset", x => x.RememberMeOffset),
        Fields<UserLoginStage>.Flag("terminate_other_sessions", x => x.TerminateOtherSessions),
    ], ignored: new HashSet<string> { "remember_device", "network_binding", "geoip_binding" });

    private static Field<UserLoginStage> Timedelta(string name, System.Linq.Expressions.Expression<Func<UserLoginStage, string>> property)
    {
        var text = Fields<UserLoginStage>.Text(name, property, required: true, maxLength: 100,
            check: s => TimedeltaAttribute.IsValid(s) ? null : TimedeltaAttribute.Message);
        // Stored in the admin form's canonical spelling, so a re-import of "hours = 8" is no change.
        return Fields<UserLoginStage>.Custom(name, v => TimedeltaAttribute.Normalize((string)text.Convert(v)!), text.Write, text.Match);
    }

    public static IBlueprintModel EmailStage() => StageModel(EmailStageName, () => new EmailStage { Name = "" },
    [
        Fields<EmailStage>.Flag("use_global_settings", x => x.UseGlobalSettings),
        Fields<EmailStage>.Text("host", x => x.Host, maxLength: 255),
        Bounded("port", x => x.Port, 1, 65535),
        Fields<EmailStage>.Text("username", x => x.Username, maxLength: 255),
        Fields<EmailStage>.Text("password", x => x.Password, maxLength: 255),
        Fields<EmailStage>.Flag("use_tls", x => x.UseTls),
        Fields<EmailStage>.Flag("use_ssl", x => x.UseSsl),
        Bounded("timeout", x => x.Timeout, 1, 3600),
        Fields<EmailStage>.Text("from_address", x => x.FromAddress, required: true, maxLength: 255,
            check: s => EmailStageMail.TryParseFrom(s, out _, out var error) ? null : error),
        TokenExpiry(),
        Fields<EmailStage>.Text("subject", x => x.Subject, required: true, maxLength: 255, check: EmailStageMail.SubjectProblem),
        // Only the name's form: an admin may add the template file after importing.
        Fields<EmailStage>.Text("template", x => x.Template, required: true, maxLength: 255,
            check: s => EmailTemplates.IsValidName(s) ? null : "is not a template name like email/account_confirmation.html."),
        Fields<EmailStage>.Flag("activate_user_on_success", x => x.ActivateUserOnSuccess),
    ], ignored: new HashSet<string> { "recovery_max_attempts", "recovery_cache_timeout" });

    private static Field<EmailStage> Bounded(string name, System.Linq.Expressions.Expression<Func<EmailStage, int>> property, int min, int max)
    {
        var number = Fields<EmailStage>.Number(name, property, min);
        return Fields<EmailStage>.Custom(name, v => (int)number.Convert(v)! is var n && n <= max ? n : throw new BlueprintException($"must be at most {max}."),
            number.Write, number.Match);
    }

    /// <summary>
    /// Minutes, as a number (authentik up to 2023) or a timedelta string such as <c>minutes=30</c> or <c>hours=1</c>
    /// (later versions), stored as whole minutes (rounded up).
    /// </summary>
    private static Field<EmailStage> TokenExpiry()
    {
        var number = Bounded("token_expiry", x => x.TokenExpiry, 1, EmailStageLimits.MaxTokenExpiry);
        return Fields<EmailStage>.Custom("token_expiry", v =>
        {
            if (v is not string s || !s.Contains('=')) return number.Convert(v);
            if (!TimedeltaAttribute.IsValid(s)) throw new BlueprintException(TimedeltaAttribute.Message);
            return number.Convert((long)Math.Ceiling(FlowExecution.Stages.Timedelta.Parse(s).TotalMinutes));
        }, number.Write, number.Match);
    }

    public static IBlueprintModel Invitation() => new BlueprintModel<Invitation>
    {
        Name = InvitationName,
        New = () => new Invitation { Name = "" },
        PkField = Keys.Guid<Invitation>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<Invitation>.Text("name", x => x.Name, required: true, maxLength: 200,
                check: s => InvitationNamePattern().IsMatch(s) ? null : "use only letters, digits, '_' and '-'."),
            Fields<Invitation>.Timestamp("expires", x => x.Expires),
            Fields<Invitation>.Reference<Flow>("flow", FlowModels.Flow, x => x.FlowId),
            Fields<Invitation>.Flag("single_use", x => x.SingleUse),
            Fields<Invitation>.Json("fixed_data", x => x.FixedData),
            Fields<Invitation>.UserReference("created_by", x => x.CreatedById),
        ],
        Required = [["name"]],
    };

    public static IBlueprintModel Prompt() => new BlueprintModel<Prompt>
    {
        Name = PromptName,
        New = () => new Prompt { Name = "", FieldKey = "" },
        PkField = Keys.Guid<Prompt>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<Prompt>.Text("name", x => x.Name, required: true, maxLength: 200),
            Fields<Prompt>.Text("field_key", x => x.FieldKey, required: true, maxLength: 200,
                check: s => FieldKeyPattern().IsMatch(s) ? null : "use only letters, digits, '_', '.' and '-'."),
            Fields<Prompt>.Text("label", x => x.Label),
            // Published blueprints use both spellings.
            Fields<Prompt>.Choice("type", x => x.Type),
            Fields<Prompt>.Choice("prompt_type", x => x.Type),
            Fields<Prompt>.Flag("required", x => x.Required),
            Fields<Prompt>.Text("placeholder", x => x.Placeholder),
            Fields<Prompt>.Flag("placeholder_expression", x => x.PlaceholderExpression),
            Fields<Prompt>.Text("initial_value", x => x.InitialValue),
            Fields<Prompt>.Flag("initial_value_expression", x => x.InitialValueExpression),
            Fields<Prompt>.Text("sub_text", x => x.SubText),
            Fields<Prompt>.Number("order", x => x.Order),
        ],
        Required = [["name"], ["field_key"], ["type", "prompt_type"]],
    };
}
