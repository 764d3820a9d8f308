using Enrollment.Domain;

namespace Enrollment.Features.Api.Shared;

/// <summary>Parses django-filter style query values, adding DRF-shaped errors for values that cannot be used.</summary>
public static class Filters
{
    /// <summary>An enum filter under its wire names; an unknown name is django-filter's "Select a valid choice" error.</summary>
    public static T? Choice<T>(string? value, string field, FieldErrors errors) where T : struct, Enum
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (Wire.TryParse<T>(value, out var parsed)) return parsed;
        errors.Add(field, $"Select a valid choice. {value} is not one of the available choices.");
        return null;
    }

    /// <summary>
    /// A boolean filter: <c>true/false/1/0</c> in any case, as django-filter reads them. Anything else is an error
    /// rather than django-filter's silent "no filter", so a typo cannot widen a result set unnoticed.
    /// </summary>
    public static bool? Boolean(string? value, string field, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(value)) return null;
        switch (value.ToLowerInvariant())
        {
            case "true" or "1": return true;
            case "false" or "0": return false;
            default:
                errors.Add(field, "Must be true or false.");
                return null;
        }
    }
}
