using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Enrollment.Infrastructure.Blueprints;

/// <summary>
/// Resolved blueprint values are plain CLR values, as PyYAML gives authentik: null, bool, long, double, string,
/// Guid or int (primary keys), <c>List&lt;object?&gt;</c> and <c>Dictionary&lt;string, object?&gt;</c> (in file
/// order). These helpers give them Python's meaning where blueprints rely on it (truthiness, <c>%</c> formatting).
/// </summary>
public static class BlueprintValues
{
    /// <summary>Brings caller-supplied values (import context) into the resolved-value shapes.</summary>
    public static object? Normalize(object? value) => value switch
    {
        null or bool or long or double or string or Guid => value,
        int i => (long)i,
        short or byte or uint => Convert.ToInt64(value, CultureInfo.InvariantCulture),
        float or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        JsonNode node => FromJson(node),
        JsonElement element => FromJson(JsonNode.Parse(element.GetRawText())),
        IDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Normalize(p.Value)),
        IReadOnlyDictionary<string, object?> map => map.ToDictionary(p => p.Key, p => Normalize(p.Value)),
        System.Collections.IEnumerable list => list.Cast<object?>().Select(Normalize).ToList(),
        _ => value.ToString(),
    };

    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => FromJson(p.Value)),
        JsonArray a => a.Select(FromJson).ToList(),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() is JsonValueKind.String => v.GetValue<string>(),
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
        _ => node.ToJsonString(),
    };

    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        double d => JsonValue.Create(d),
        string s => JsonValue.Create(s),
        Guid g => JsonValue.Create(g.ToString()),
        Dictionary<string, object?> map => new JsonObject(map.Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        List<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };

    /// <summary>Python's <c>bool(x)</c>.</summary>
    public static bool Truthy(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        Dictionary<string, object?> map => map.Count > 0,
        _ => true,
    };

    /// <summary>How a value reads in messages and in <c>%s</c>: as Python's <c>str(x)</c> would print it.</summary>
    public static string Display(object? value) => value switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s => s,
        List<object?> list => "[" + string.Join(", ", list.Select(Repr)) + "]",
        Dictionary<string, object?> map => "{" + string.Join(", ", map.Select(p => $"'{p.Key}': {Repr(p.Value)}")) + "}",
        _ => value.ToString() ?? "",
    };

    private static string Repr(object? value) => value is string s ? $"'{s}'" : Display(value);

    public static string Kind(object? value) => value switch
    {
        null => "null",
        bool => "a boolean",
        long or int => "a number",
        double => "a decimal number",
        string => "text",
        Guid => "a primary key",
        List<object?> => "a list",
        Dictionary<string, object?> => "a mapping",
        _ => value.GetType().Name,
    };

    /// <summary>Python's <c>fmt % args</c> for the conversions blueprints use: <c>%s %d %i %f %%</c>.</summary>
    public static string Format(string format, IReadOnlyList<object?> args, int maxLength)
    {
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                sb.Append(format[i]);
                continue;
            }
            if (++i >= format.Length) throw new BlueprintException("!Format: the format ends with a lone '%'.");
            var conversion = format[i];
            if (conversion == '%')
            {
                sb.Append('%');
                continue;
            }
            if (next >= args.Count) throw new BlueprintException($"!Format: not enough arguments for format string '{format}'.");
            var arg = args[next++];
            switch (conversion)
            {
                case 's':
                    sb.Append(Display(arg));
                    break;
                case 'd' or 'i':
                    sb.Append(arg switch
                    {
                        bool b => b ? "1" : "0",
                        long or int => Display(arg),
                        double d => Math.Truncate(d).ToString("R", CultureInfo.InvariantCulture),
                        _ => throw new BlueprintException($"!Format: %{conversion} needs a number, got {Kind(arg)} '{Display(arg)}'."),
                    });
                    break;
                case 'f':
                    sb.Append(arg switch
                    {
                        long or int or double => Convert.ToDouble(arg, CultureInfo.InvariantCulture).ToString("F6", CultureInfo.InvariantCulture),
                        _ => throw new BlueprintException($"!Format: %f needs a number, got {Kind(arg)} '{Display(arg)}'."),
                    });
                    break;
                default:
                    throw new BlueprintException($"!Format: unsupported conversion '%{conversion}' (use %s, %d, %i, %f or %%).");
            }
            if (sb.Length > maxLength) throw new BlueprintException($"!Format: the result is longer than {maxLength} characters.");
        }
        if (next < args.Count) throw new BlueprintException($"!Format: not all arguments converted during string formatting ('{format}' uses {next} of {args.Count}).");
        return sb.ToString();
    }
}
