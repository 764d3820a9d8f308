using Enrollment.Domain;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary><c>authentik_policies*</c>: expression and password policies, and policy bindings.</summary>
internal static class PolicyModels
{
    public const string ExpressionPolicyName = "authentik_policies_expression.expressionpolicy";
    public const string PasswordPolicyName = "authentik_policies_password.passwordpolicy";
    public const string BindingName = "authentik_policies.policybinding";

    /// <summary>
    /// Not a model one imports: what a reference to "a policy of any kind" (a binding's <c>policy</c>, a prompt stage's
    /// <c>validation_policies</c>) names, so an export finds each policy in its own kind's model.
    /// </summary>
    public const string AnyPolicyName = "authentik_policies.policy";

    public static IBlueprintModel ExpressionPolicy() => new BlueprintModel<ExpressionPolicy>
    {
        Name = ExpressionPolicyName,
        New = () => new ExpressionPolicy { Name = "" },
        PkField = Keys.Guid<ExpressionPolicy>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<ExpressionPolicy>.Text("name", x => x.Name, required: true, maxLength: 200),
            Expression(),
            Fields<ExpressionPolicy>.Flag("execution_logging", x => x.ExecutionLogging),
        ],
        Required = [["name"], ["expression"]],
        ExportId = x => "policy-" + x.Name,
        SortBy = x => x.Name,
    };

    /// <summary>
    /// authentik's password policy, its defaults included. Counts are never negative and the zxcvbn threshold is a
    /// score (0–4): a threshold of 4 would refuse every password, and one above could never be met.
    /// </summary>
    public static IBlueprintModel PasswordPolicy() => new BlueprintModel<PasswordPolicy>
    {
        Name = PasswordPolicyName,
        New = () => new PasswordPolicy { Name = "" },
        PkField = Keys.Guid<PasswordPolicy>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<PasswordPolicy>.Text("name", x => x.Name, required: true, maxLength: 200),
            Fields<PasswordPolicy>.Flag("execution_logging", x => x.ExecutionLogging),
            Fields<PasswordPolicy>.Text("password_field", x => x.PasswordField, required: true, maxLength: 200),
            Fields<PasswordPolicy>.Flag("check_static_rules", x => x.CheckStaticRules),
            Fields<PasswordPolicy>.Number("length_min", x => x.LengthMin, min: 0),
            Fields<PasswordPolicy>.Number("amount_digits", x => x.AmountDigits, min: 0),
            Fields<PasswordPolicy>.Number("amount_uppercase", x => x.AmountUppercase, min: 0),
            Fields<PasswordPolicy>.Number("amount_lowercase", x => x.AmountLowercase, min: 0),
            Fields<PasswordPolicy>.Number("amount_symbols", x => x.AmountSymbols, min: 0),
            Fields<PasswordPolicy>.Text("symbol_charset", x => x.SymbolCharset, maxLength: 1000,
                check: t => t.Length == 0 ? "may not be empty." : null),
            Fields<PasswordPolicy>.Text("error_message", x => x.ErrorMessage, maxLength: 1000),
            Fields<PasswordPolicy>.Flag("check_zxcvbn", x => x.CheckZxcvbn),
            Fields<PasswordPolicy>.Number("zxcvbn_score_threshold", x => x.ZxcvbnScoreThreshold, min: 0, max: Domain.PasswordPolicy.MaxScore - 1),
            Fields<PasswordPolicy>.Flag("check_have_i_been_pwned", x => x.CheckHaveIBeenPwned),
            Fields<PasswordPolicy>.Number("hibp_allowed_count", x => x.HibpAllowedCount, min: 0),
        ],
        Required = [["name"]],
        ExportId = x => "policy-" + x.Name,
        SortBy = x => x.Name,
    };

    /// <summary>
    /// Syntax is checked on import as on save in the admin, so a broken expression names its entry and line here
    /// instead of failing every evaluation later. Without Python it is stored unchecked (evaluations say why they fail).
    /// </summary>
    private static Field<ExpressionPolicy> Expression()
    {
        var text = Fields<ExpressionPolicy>.Text("expression", x => x.Expression, required: true);
        return Fields<ExpressionPolicy>.Custom("expression", text.Convert, async (policy, value, ctx) =>
        {
            if (ctx.Python?.Check((string)value!) is { } problem)
                throw new BlueprintException($"Python syntax error on line {problem.Line} of the expression: {problem.Message}.");
            await text.Write(policy, value, ctx);
        }, text.Match, text.Export);
    }

    public static IBlueprintModel Binding() => new BlueprintModel<PolicyBinding>
    {
        Name = BindingName,
        New = () => new PolicyBinding(),
        PkField = Keys.Guid<PolicyBinding>(x => x.Id),
        GetPk = x => x.Id,
        Fields =
        [
            Fields<PolicyBinding>.Custom("target", v => FieldValues.Key(v, nullable: false), WriteTarget,
                v => x => x.FlowId == (Guid)v! || x.FlowStageBindingId == (Guid)v!,
                (x, w, ctx) => w.KeyOf(ctx.EntryId(x.FlowId ?? x.FlowStageBindingId!.Value))),
            Fields<PolicyBinding>.Reference<Policy>("policy", ExpressionPolicyName, x => x.PolicyId, referencedAs: AnyPolicyName),
            Fields<PolicyBinding>.Reference<Group>("group", CoreModels.GroupName, x => x.GroupId),
            Fields<PolicyBinding>.UserReference("user", x => x.UserId),
            Fields<PolicyBinding>.Flag("enabled", x => x.Enabled),
            Fields<PolicyBinding>.Flag("negate", x => x.Negate),
            Fields<PolicyBinding>.Number("order", x => x.Order),
            Fields<PolicyBinding>.Number("timeout", x => x.Timeout, min: 0),
            Fields<PolicyBinding>.Flag("failure_result", x => x.FailureResult),
        ],
        Required = [["target"], ["order"]],
        // The database enforces both rules too; saying so here names the field instead of a constraint.
        Validate = b => (b.PolicyId is null ? 0 : 1) + (b.GroupId is null ? 0 : 1) + (b.UserId is null ? 0 : 1) != 1
            ? ("policy", "exactly one of policy, group or user must be set.")
            : null,
        Identifiers = ["target", "policy", "group", "user", "order"],
    };

    /// <summary>authentik binds policies to any "policy binding model"; here that is a flow or a stage binding.</summary>
    private static async Task WriteTarget(PolicyBinding binding, object? value, WriteContext ctx)
    {
        var id = (Guid)value!;
        if (await ctx.Db.Flows.AnyAsync(f => f.Id == id, ctx.Ct))
        {
            binding.FlowId = id;
            binding.FlowStageBindingId = null;
        }
        else if (await ctx.Db.FlowStageBindings.AnyAsync(b => b.Id == id, ctx.Ct))
        {
            binding.FlowStageBindingId = id;
            binding.FlowId = null;
        }
        else
        {
            throw new BlueprintException($"no {FlowModels.Flow} or {FlowModels.Binding} with pk {id}.");
        }
    }
}
