using System.Collections.Concurrent;
using System.Reflection;
using System.Text;

namespace Enrollment.Domain;

/// <summary>
/// Enum values travel (database, YAML, JSON, form fields) under authentik's names, so admins' blueprints and
/// scripts carry over: snake_case by default, with per-member overrides such as <c>radio-button-group</c>.
/// </summary>
public static class Wire
{
    private static readonly ConcurrentDictionary<Type, (Dictionary<Enum, string> To, Dictionary<string, Enum> From)> Maps = new();

    public static string Name<T>(T value) where T : struct, Enum => Map(typeof(T)).To[value];

    public static string Name(Enum value) => Map(value.GetType()).To[value];

    public static T Parse<T>(string value) where T : struct, Enum =>
        TryParse<T>(value, out var result) ? result : throw new FormatException($"'{value}' is not one of: {string.Join(", ", Names<T>())}");

    public static bool TryParse<T>(string? value, out T result) where T : struct, Enum
    {
        if (value is not null && Map(typeof(T)).From.TryGetValue(value, out var found))
        {
            result = (T)found;
            return true;
        }
        result = default;
        return false;
    }

    public static bool TryParse(Type enumType, string? value, out Enum? result)
    {
        result = null;
        return value is not null && Map(enumType).From.TryGetValue(value, out result);
    }

    public static IReadOnlyList<string> Names<T>() where T : struct, Enum => Map(typeof(T)).To.Values.ToList();

    public static IReadOnlyList<string> Names(Type enumType) => Map(enumType).To.Values.ToList();

    private static (Dictionary<Enum, string> To, Dictionary<string, Enum> From) Map(Type type) => Maps.GetOrAdd(type, t =>
    {
        var to = new Dictionary<Enum, string>();
        foreach (var field in t.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var name = field.GetCustomAttribute<WireNameAttribute>()?.Name ?? SnakeCase(field.Name);
            to[(Enum)field.GetValue(null)!] = name;
        }
        return (to, to.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal));
    });

    public static string SnakeCase(string pascal)
    {
        var sb = new StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (char.IsUpper(pascal[i]) && i > 0) sb.Append('_');
            sb.Append(char.ToLowerInvariant(pascal[i]));
        }
        return sb.ToString();
    }
}
