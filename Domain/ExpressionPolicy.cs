namespace Enrollment.Domain;

public class ExpressionPolicy : Policy
{
    public string Expression { get; set; } = "";
}
