using System.Globalization;
using System.Text.Json.Nodes;
using Enrollment.Domain;

namespace Enrollment.Infrastructure.Blueprints.Models;

/// <summary>
/// Converts resolved values to field types, as leniently as authentik's serializers do (a number where text is
/// expected, <c>"10"</c> for an integer, <c>yes</c> for a boolean, as PyYAML reads YAML 1.1) and no further.
/// Each failure says what was expected and what was found; the caller adds the field name.
/// </summary>
internal static class FieldValues
{
    public static string? Text(object? value, bool nullable) => value switch
    {
        null when nullable => null,
        null => throw new BlueprintException("may not be null."),
        // PostgreSQL stores no NUL in text: refused here with the field's name, on every database alike.
        string s when s.Contains('\0') => throw new BlueprintException("holds a NUL character (\\0), which cannot be stored."),
        string s => s,
        long or double or Guid => BlueprintValues.Display(value),
        _ => throw Mismatch("text", value),
    };

    public static bool Flag(object? value) => value switch
    {
        bool b => b,
        long l and (0 or 1) => l == 1,
        string s when s.ToLowerInvariant() is "true" or "yes" or "on" or "1" => true,
        string s when s.ToLowerInvariant() is "false" or "no" or "off" or "0" => false,
        _ => throw Mismatch("true or false", value),
    };

    public static int Number(object? value) => value switch
    {
        long l and >= int.MinValue and <= int.MaxValue => (int)l,
        double d when d == Math.Floor(d) && d >= int.MinValue && d <= int.MaxValue => (int)d,
        string s when int.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
        _ => throw Mismatch("a whole number", value),
    };

    public static TEnum Choice<TEnum>(object? value) where TEnum : struct, Enum =>
        value is string s && Wire.TryParse<TEnum>(s, out var result)
            ? result
            : throw new BlueprintException($"'{BlueprintValues.Display(value)}' is not one of: {string.Join(", ", Wire.Names<TEnum>())}.");

    public static Guid? Key(object? value, bool nullable) => value switch
    {
        null when nullable => null,
        Guid g => g,
        string s when Guid.TryParse(s, out var g) => g,
        _ => throw Mismatch("a primary key (a UUID, e.g. from !KeyOf or !Find)", value),
    };

    public static int? UserKey(object? value, bool nullable) => value switch
    {
        null when nullable => null,
        long l and > 0 and <= int.MaxValue => (int)l,
        int i and > 0 => i,
        string s when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i > 0 => i,
        _ => throw Mismatch("a user's primary key (a number, e.g. from !KeyOf or !Find)", value),
    };

    public static DateTime? Timestamp(object? value) => value switch
    {
        null => null,
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t.UtcDateTime,
        _ => throw Mismatch("a date and time in ISO 8601, e.g. 2030-01-31T12:00:00Z", value),
    };

    public static JsonObject Object(object? value)
    {
        if (value is not Dictionary<string, object?> map) throw Mismatch("a mapping", value);
        var json = (JsonObject)BlueprintValues.ToJson(map)!;
        // PostgreSQL's jsonb stores no NUL: refused here with the field's name, on every database alike.
        return Serialization.StructuredText.Unstorable(json) is { } problem ? throw new BlueprintException(problem) : json;
    }

    public static List<object?> List(object? value) => value switch
    {
        List<object?> list => list,
        _ => throw Mismatch("a list", value),
    };

    public static BlueprintException Mismatch(string expected, object? found)
    {
        var shown = BlueprintValues.Display(found);
        if (shown.Length > 60) shown = shown[..60] + "…";
        return new BlueprintException($"expected {expected}, got {BlueprintValues.Kind(found)}{(found is null ? "" : $" '{shown}'")}.");
    }
}
