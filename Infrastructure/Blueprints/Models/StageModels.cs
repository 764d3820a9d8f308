using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Features.Stages.Shared;

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
