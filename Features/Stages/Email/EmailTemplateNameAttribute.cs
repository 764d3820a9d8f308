using System.ComponentModel.DataAnnotations;
using Enrollment.Infrastructure.Email;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Email;

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
