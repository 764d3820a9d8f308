using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Features.Api.Policies;

/// <summary>authentik's <c>Policy</c> serializer (and <c>ExpressionPolicy</c>'s, which adds <c>expression</c>).</summary>
public static class PolicyJson
{
    public const string Component = "ak-policy-expression-form";
    public const string VerboseName = "Expression Policy";
    public const string MetaModelName = "authentik_policies_expression.expressionpolicy";

    public static JsonObject Of(Policy policy, int boundTo, bool withExpression)
    {
        var json = new JsonObject
        {
            ["pk"] = policy.Id.ToString(),
            ["name"] = policy.Name,
            ["execution_logging"] = policy.ExecutionLogging,
            ["component"] = Component,
            ["verbose_name"] = VerboseName,
            ["verbose_name_plural"] = VerboseName + "s",
            ["meta_model_name"] = MetaModelName,
            ["bound_to"] = boundTo,
        };
        if (withExpression && policy is ExpressionPolicy e) json["expression"] = e.Expression;
        return json;
    }
}
