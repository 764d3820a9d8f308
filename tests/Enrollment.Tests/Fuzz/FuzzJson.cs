using System.Globalization;
using System.Text;

namespace Enrollment.Tests.Fuzz;

/// <summary>
/// JSON text from a <see cref="Hostile"/> source: well-formed documents of every shape (deep, wide, huge, odd numbers,
/// escapes of NUL and of lone surrogates) and documents that are not JSON at all (cut short, comments, NaN, duplicate
/// keys, bytes that are not UTF-8). Written by hand, so it can say what a serializer never would.
/// </summary>
public sealed class FuzzJson(Hostile hostile)
{
    /// <summary>A string literal, quotes included: the text escaped as JSON needs, sometimes with escapes a serializer never writes.</summary>
    public string String(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case < ' ': json.Append($"\\u{(int)c:x4}"); break;
                default: json.Append(c); break;
            }
        }
        if (hostile.Chance(0.08)) json.Append(hostile.Pick("\\u0000", "\\ud800", "\\udc00", "\\udc00\\ud800", "\\ud83d", "\\uFFFF", "\\u001f", "\\/", "\\b\\f\\n\\r\\t"));
        return json.Append('"').ToString();
    }

    public string Number() => hostile.Pick(
        "0", "-0", "1", "-1", "42", "3.14", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "18446744073709551616", "123456789012345678901234567890123456789", "1e308", "1e309", "-1e309", "1e400", "1.5e-400", "1E+2",
        "0.0000000000000000000000000001", "1e1000000", "-1e-1000000", "5e-324", "1.7976931348623157e308", "100000000000000000000000000000000000000000000000000");

    /// <summary>Any JSON value, nested at most <paramref name="depth"/> more levels.</summary>
    public string Value(int depth = 3) => hostile.Weighted<Func<string>>(
        (10, () => "null"),
        (8, () => hostile.Pick("true", "false")),
        (12, () => Number()),
        (35, () => String(hostile.Text())),
        (15, () => depth <= 0 ? "[]" : "[" + string.Join(",", Enumerable.Range(0, hostile.Between(0, 4)).Select(_ => Value(depth - 1))) + "]"),
        (20, () => depth <= 0 ? "{}" : Object(depth - 1))).Invoke();

    public string Object(int depth = 2)
    {
        var members = Enumerable.Range(0, hostile.Between(0, 5)).Select(_ => String(hostile.Chance(0.5) ? hostile.Ascii(hostile.Between(1, 12)) : hostile.Text()) + ":" + Value(depth));
        return "{" + string.Join(",", members) + "}";
    }

    /// <summary>A document nested <paramref name="levels"/> deep, in arrays or objects.</summary>
    public string Deep(int levels) => hostile.Chance(0.5)
        ? new string('[', levels) + Value(0) + new string(']', levels)
        : string.Concat(Enumerable.Repeat("{\"a\":", levels)) + Value(0) + new string('}', levels);

    /// <summary>A body that is not JSON, or is JSON only to a lax parser.</summary>
    public string Malformed(string valid) => hostile.Weighted<Func<string>>(
        (10, () => valid.Length > 1 ? valid[..hostile.Between(1, valid.Length - 1)] : "{"),
        (5, () => valid.TrimEnd('}') + ",}"),
        (5, () => "/* comment */" + valid),
        (5, () => "{'name': 'single-quoted'}"),
        (5, () => "{\"name\": NaN}"),
        (5, () => "{\"name\": \"a\", \"name\": \"b\"}"),
        (5, () => "{name: \"unquoted\"}"),
        (5, () => valid + valid),
        (5, () => "\"just a string\""),
        (5, () => hostile.Pick("[]", "[{}]", "null", "true", "42", "\"\"", "   ", "")),
        (5, () => "{\"name\": \"" + new string('\u0001', 3) + "\"}"),
        (5, () => "{\"a\":" + new string('[', 100_000)),
        (3, () => "\uFEFF" + valid),
        (3, () => hostile.Text())).Invoke();

    public static string Iso(DateTime at) => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
