using Enrollment.Infrastructure.Web;

namespace Enrollment.Features.Policies.Shared;

/// <summary>The policy kinds the admin pages know, by their discriminator (the <c>kind</c> column): labels and pages.</summary>
public static class PolicyKinds
{
    public const string Expression = "expression";
    public const string Password = "password";

    public static string Label(string kind) => kind switch
    {
        Expression => "Expression policy",
        Password => "Password policy",
        _ => Choices.Label(kind),
    };

    /// <summary>Each kind has its own form.</summary>
    public static string EditLink(string kind, Guid id) =>
        kind == Password ? $"/if/admin/policies/{id}/edit/password/" : $"/if/admin/policies/{id}/edit/";

    /// <summary>Only expressions have a Test panel: a password policy is tried by entering a password in its flow.</summary>
    public static bool Testable(string kind) => kind == Expression;
}
