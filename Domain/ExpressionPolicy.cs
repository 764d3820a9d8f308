namespace Enrollment.Domain;

public class ExpressionPolicy : Policy
{
    public string Expression { get; set; } = "";

    public override string AuthentikApp => "authentik_policies_expression";
    public override string AuthentikModel => "expressionpolicy";
}
