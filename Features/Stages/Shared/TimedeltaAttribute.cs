using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;

namespace Enrollment.Features.Stages.Shared;

/// <summary>
/// authentik's timedelta strings: <c>unit=number</c> pairs joined by <c>;</c>, e.g. <c>seconds=0</c> or
/// <c>days=1;hours=2</c>. authentik silently ignores unknown units; we reject them so a typo is not a surprise.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed partial class TimedeltaAttribute : ValidationAttribute
{
    public const string Message =
        "Use unit=number pairs joined by ';', e.g. hours=8 or days=1;hours=2. Units: weeks, days, hours, minutes, seconds, milliseconds, microseconds.";

    [GeneratedRegex(@"^\s*(weeks|days|hours|minutes|seconds|milliseconds|microseconds)\s*=\s*\d+(\.\d+)?\s*(;\s*(weeks|days|hours|minutes|seconds|milliseconds|microseconds)\s*=\s*\d+(\.\d+)?\s*)*$")]
    private static partial Regex Pattern();

    public static bool IsValid(string value) => Pattern().IsMatch(value);

    /// <summary>The canonical spelling: no blanks around the separators.</summary>
    public static string Normalize(string value) =>
        string.Join(';', value.Split(';').Select(pair => string.Join('=', pair.Split('=').Select(p => p.Trim()))));

    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is null || (value is string s && IsValid(s))
            ? ValidationResult.Success
            : new ValidationResult(Message, [context.MemberName!]);
}
