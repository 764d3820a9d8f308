using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;

namespace Enrollment.Infrastructure.Web;

/// <summary>Validates that a string form field holds one of an enum's wire names.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WireEnumAttribute(Type enumType) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is null || (value is string s && Wire.TryParse(enumType, s, out _))
            ? ValidationResult.Success
            : new ValidationResult($"Choose one of: {string.Join(", ", Wire.Names(enumType))}.", [context.MemberName!]);
}
