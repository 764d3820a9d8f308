using System.ComponentModel.DataAnnotations;
using Enrollment.Infrastructure.Email;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Email;

/// <summary>The email stage's sender: a bare address or <c>Name &lt;address&gt;</c>, one line.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SenderAddressAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        EmailStageMail.TryParseFrom(value as string, out _, out var error) ? ValidationResult.Success : new ValidationResult(error, [context.MemberName!]);
}

/// <summary>The email stage's subject: one line of text.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EmailSubjectAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        EmailStageMail.SubjectProblem(value as string) is { } problem ? new ValidationResult(problem, [context.MemberName!]) : ValidationResult.Success;
}

/// <summary>The email stage's template: a name like <c>email/account_confirmation.html</c> of a template that exists.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EmailTemplateNameAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context)
    {
        // MVC passes the request's services; without them (a unit test) only the name's form is checked.
        var problem = context.GetService(typeof(EmailTemplates)) is EmailTemplates templates
            ? EmailStageMail.TemplateProblem(value as string, templates)
            : EmailTemplates.IsValidName(value as string) ? null : "Enter a template name like email/account_confirmation.html.";
        return problem is null ? ValidationResult.Success : new ValidationResult(problem, [context.MemberName!]);
    }
}
