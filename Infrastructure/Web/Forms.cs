using System.ComponentModel.DataAnnotations;
using Enrollment.Domain;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Enrollment.Infrastructure.Web;

/// <summary>An expected failure of a command, tied to the form field it concerns ("" for the whole form).</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>What a form command returns: the saved thing's key, or the errors to show next to the fields.</summary>
public sealed record FormResult<T>(T? Value, IReadOnlyList<FieldError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
    public static FormResult<T> Ok(T value) => new(value, []);
    public static FormResult<T> Fail(string field, string message) => new(default, [new FieldError(field, message)]);
    public static FormResult<T> Fail(IReadOnlyList<FieldError> errors) => new(default, errors);
}

public static class FormExtensions
{
    /// <summary>Copies a command's errors into ModelState under the form's prefix (e.g. <c>Input.</c>).</summary>
    public static void AddErrors(this ModelStateDictionary modelState, IEnumerable<FieldError> errors, string prefix = "Input")
    {
        foreach (var e in errors)
            modelState.AddModelError(e.Field.Length == 0 ? "" : $"{prefix}.{e.Field}", e.Message);
    }
}

/// <summary>Drop-down choices for an enum, valued by authentik's names and labelled for people.</summary>
public static class Choices
{
    public static IEnumerable<SelectListItem> For<T>(bool withEmpty = false) where T : struct, Enum
    {
        if (withEmpty) yield return new SelectListItem("---------", "");
        foreach (var name in Wire.Names<T>()) yield return new SelectListItem(Label(name), name);
    }

    public static string Label(string wireName)
    {
        var words = wireName.Replace('_', ' ').Replace('-', ' ');
        return words.Length == 0 ? words : char.ToUpperInvariant(words[0]) + words[1..];
    }

    public static string Label<T>(T value) where T : struct, Enum => Label(Wire.Name(value));
}

/// <summary>Validates that a string form field holds one of an enum's wire names.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class WireEnumAttribute(Type enumType) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is null || (value is string s && Wire.TryParse(enumType, s, out _))
            ? ValidationResult.Success
            : new ValidationResult($"Choose one of: {string.Join(", ", Wire.Names(enumType))}.", [context.MemberName!]);
}

/// <summary>Slugs as authentik allows them: letters, digits, '-' and '_'.</summary>
public sealed class SlugAttribute() : RegularExpressionAttribute("^[-a-zA-Z0-9_]+$")
{
    public override string FormatErrorMessage(string name) => "Use only letters, digits, '-' and '_'.";
}
