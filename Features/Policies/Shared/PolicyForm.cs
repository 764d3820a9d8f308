using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Python;
using Enrollment.Infrastructure.Web;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Policies.Shared;

/// <summary>The fields of an expression policy as the create and edit forms post them.</summary>
public class PolicyForm
{
    [Required(ErrorMessage = "Enter a name.")]
    [StringLength(200, ErrorMessage = "Use at most 200 characters.")]
    public string Name { get; set; } = "";

    [Required(ErrorMessage = "Enter an expression.")]
    [StringLength(100_000, ErrorMessage = "The expression is too long (at most 100,000 characters).")]
    public string Expression { get; set; } = "";

    public bool ExecutionLogging { get; set; }

    /// <summary>Browsers post CRLF; the policy is stored (and its lines counted) with LF.</summary>
    internal string NormalizedExpression => Expression.Replace("\r\n", "\n").Replace('\r', '\n');

    /// <summary>
    /// The checks that need the database or Python: a unique name, and an expression that compiles (the error names
    /// the line of the expression). Without Python the syntax is not checked; running it will say why.
    /// </summary>
    internal async Task<List<FieldError>> ValidateAsync(AppDbContext db, PythonExpressions python, Guid? self, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        if (await NameTakenAsync(db, Name, self, ct) is { } taken) errors.Add(taken);
        if (python.Check(NormalizedExpression) is { } problem)
            errors.Add(new(nameof(Expression), problem.ToString()));
        return errors;
    }

    public void ApplyTo(ExpressionPolicy policy)
    {
        policy.Name = Name.Trim();
        policy.Expression = NormalizedExpression;
        policy.ExecutionLogging = ExecutionLogging;
    }

    public static T From<T>(ExpressionPolicy policy) where T : PolicyForm, new() => new()
    {
        Name = policy.Name,
        Expression = policy.Expression,
        ExecutionLogging = policy.ExecutionLogging,
    };

    /// <summary>A policy of any kind other than <paramref name="self"/> already has this name (trimmed): the error for the name field.</summary>
    internal static async Task<FieldError?> NameTakenAsync(AppDbContext db, string name, Guid? self, CancellationToken ct)
    {
        var trimmed = name.Trim();
        return await db.Policies.AnyAsync(p => p.Name == trimmed && p.Id != self, ct) ? new(nameof(Name), "A policy with this name already exists.") : null;
    }

    /// <summary>How policy changes appear in the event log, as authentik names the model of the policy's kind.</summary>
    public static System.Text.Json.Nodes.JsonObject EventModel(Policy policy) =>
        AuditTrail.Model(policy.AuthentikApp, policy.Name, policy.Id, policy.AuthentikModel);
}
