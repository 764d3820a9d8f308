using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Policies;

/// <summary>
/// authentik's <c>Policy</c> serializer, and with <c>details</c> its kinds' own: <c>ExpressionPolicy</c> adds
/// <c>expression</c>, <c>PasswordPolicy</c> its rules.
/// </summary>
public static class PolicyJson
{
    public const string Component = "ak-policy-expression-form";
    public const string VerboseName = "Expression Policy";
    public const string MetaModelName = "authentik_policies_expression.expressionpolicy";

    public const string PasswordComponent = "ak-policy-password-form";
    public const string PasswordVerboseName = "Password Policy";
    public const string PasswordMetaModelName = "authentik_policies_password.passwordpolicy";

    public static JsonObject Of(Policy policy, int boundTo, bool details)
    {
        var (component, verbose, plural) = policy is PasswordPolicy
            ? (PasswordComponent, PasswordVerboseName, "Password Policies")
            : (Component, VerboseName, VerboseName + "s");
        var json = new JsonObject
        {
            ["pk"] = policy.Id.ToString(),
            ["name"] = policy.Name,
            ["execution_logging"] = policy.ExecutionLogging,
            ["component"] = component,
            ["verbose_name"] = verbose,
            ["verbose_name_plural"] = plural,
            ["meta_model_name"] = policy.AuthentikApp + "." + policy.AuthentikModel,
            ["bound_to"] = boundTo,
        };
        if (!details) return json;
        switch (policy)
        {
            case ExpressionPolicy e:
                json["expression"] = e.Expression;
                break;
            case PasswordPolicy p:
                json["password_field"] = p.PasswordField;
                json["amount_digits"] = p.AmountDigits;
                json["amount_uppercase"] = p.AmountUppercase;
                json["amount_lowercase"] = p.AmountLowercase;
                json["amount_symbols"] = p.AmountSymbols;
                json["length_min"] = p.LengthMin;
                json["symbol_charset"] = p.SymbolCharset;
                json["error_message"] = p.ErrorMessage;
                json["check_static_rules"] = p.CheckStaticRules;
                json["check_have_i_been_pwned"] = p.CheckHaveIBeenPwned;
                json["check_zxcvbn"] = p.CheckZxcvbn;
                json["hibp_allowed_count"] = p.HibpAllowedCount;
                json["zxcvbn_score_threshold"] = p.ZxcvbnScoreThreshold;
                break;
        }
        return json;
    }
}
