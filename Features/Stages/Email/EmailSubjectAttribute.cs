using System.ComponentModel.DataAnnotations;
using Enrollment.Infrastructure.Email;

using Enrollment.Features.FlowExecution;

namespace Enrollment.Features.Stages.Email;

/// <summary>The email stage's subject: one line of text.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EmailSubjectAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        EmailStageMail.SubjectProblem(value as string) is { } problem ? new ValidationResult(problem, [context.MemberName!]) : ValidationResult.Success;
}
