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
