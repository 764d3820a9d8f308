using System.Text;

namespace Enrollment.Tests.Fuzz;

/// <summary>
/// Random and hostile input from one seed: the same seed gives the same values in the same order. Text is always
/// valid UTF-16 (no lone surrogate), so a U+FFFD in the database can only come from bytes that were not UTF-8; bytes
/// that are not UTF-8 come from <see cref="InvalidUtf8"/>. No value holds U+FFFD itself, for the same reason.
/// </summary>
public sealed class Hostile(int seed)
{
    private readonly Random _random = new(seed);

    public int Seed { get; } = seed;

    public bool Chance(double p) => _random.NextDouble() < p;

    public int Between(int min, int maxInclusive) => _random.Next(min, maxInclusive + 1);

    public T Pick<T>(params T[] items) => items[_random.Next(items.Length)];

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>One of the weighted choices: <c>(weight, value)</c>.</summary>
    public T Weighted<T>(params (int Weight, T Value)[] choices)
    {
        var roll = _random.Next(choices.Sum(c => c.Weight));
        foreach (var (weight, value) in choices)
        {
            if (roll < weight) return value;
            roll -= weight;
        }
        throw new InvalidOperationException("No choice.");
    }

    public List<T> Shuffle<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    public static readonly string[] Nasty =
    [
        "", " ", "  \t ", "\r\n", "a\0b", "\0", "\u0001\u0002\u001f\u007f", "\u0085\u2028\u2029",
        "' OR '1'='1", "'; DROP TABLE users; --", "\" OR \"\"=\"", "%' AND 1=1 --", "1; SELECT pg_sleep(5)", "admin'--",
        "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>", "{{7*7}}", "${7*7}", "@(1+1)", "<%= 7*7 %>",
        "../../../../etc/passwd", "..\\..\\windows\\win.ini", "/\\evil.example", "//evil.example", "/\t/evil.example",
        "javascript:alert(1)", "http://evil.example/", "data:text/html,<b>x</b>", "%2F%2Fevil.example", "/%2F/evil.example",
        "%s%s%s%n", "{0}{1}", "%00", "%ff", "%", "%%", "+", "&", "=", "&=&=", "a=b&c=d", "?#",
        "NaN", "Infinity", "-0", "0x1F", "1e308", "-1e308", "9223372036854775808", "-9223372036854775809", "99999999999999999999999999",
        " 42 ", "4 2", "١٢٣", "0.5", "2026-02-30", "0000-00-00", "9999-12-31T23:59", "2026-01-01T25:61", "-0001-01-01",
        "on", "off", "true", "false", "1", "0", "yes", "null", "None", "undefined", "[]", "{}", "{\"a\":1}",
        "😀", "👨‍👩‍👧‍👦", "e\u0301\u0301\u0301", "\u202Eevil\u202C", "\u200B\u200C\u200D\uFEFF", "ＡＤＭＩＮ", "ǅ", "İı", "ß", "\U0010FFFF",
        "日本語のテキスト", "مرحبا", "שָׁלוֹם", "Ω≈ç√∫", "akadmin", "AKADMIN", "akadmin ", " akadmin", "akadmin@example.com",
        "a@b", "a@b.c", "@example.com", "a@@b.example", "\"quoted\"@example.com", "a@[127.0.0.1]", "xn--80ak6aa92e.com",
        "red", "green", "s", "m", "en", "pt-BR", "zh-Hant",
    ];

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+ !\"#$%&'()*,/:;<=>?[\\]^`{|}~\t\n";

    /// <summary>A hostile value: one of <see cref="Nasty"/>, random characters of any plane, a long run, or a mix.</summary>
    public string Text() => Weighted<Func<string>>(
        (30, () => Pick(Nasty)),
        (15, () => Ascii(Between(0, 40))),
        (10, () => Unicode(Between(1, 30))),
        (10, () => Long()),
        (10, () => Pick(Nasty) + Pick(Nasty) + Ascii(Between(0, 5))),
        (5, () => Ascii(Between(1, 10)) + "\0" + Ascii(Between(0, 10))),
        (5, () => string.Concat(Enumerable.Repeat(Pick(Nasty), Between(2, 50))))).Invoke();

    /// <summary>A long value: around the limits the product names (150, 254, 300, 4,096, 64 KB) or far over them.</summary>
    public string Long()
    {
        var length = Pick(149, 150, 151, 200, 201, 254, 255, 300, 301, 4095, 4096, 4097, 8192, 65_536, 65_537, 300_000);
        var unit = Pick("x", "é", "😀", "<", "%", "\u0301", "ab");
        var text = new StringBuilder(length + 2);
        while (text.Length < length) text.Append(unit);
        text.Length = length;
        if (char.IsHighSurrogate(text[^1])) text.Length--; // never cut a pair in two
        return text.ToString();
    }

    public string Ascii(int length)
    {
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = Alphabet[_random.Next(Alphabet.Length)];
        return new string(chars);
    }

    /// <summary>Random code points of every plane (surrogate pairs whole), never a lone surrogate nor U+FFFD.</summary>
    public string Unicode(int length)
    {
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            var plane = _random.Next(4);
            int cp = plane switch
            {
                0 => _random.Next(0x20, 0x7F),
                1 => _random.Next(0x80, 0xD800),
                2 => _random.Next(0xE000, 0xFFFD),
                _ => _random.Next(0x10000, 0x110000),
            };
            text.Append(char.ConvertFromUtf32(cp));
        }
        return text.ToString();
    }

    /// <summary>Bytes that are not UTF-8: Latin-1, overlong forms, encoded surrogates, stray continuations, cut sequences, 5-byte forms.</summary>
    public byte[] InvalidUtf8()
    {
        byte[] bad = Pick<byte[]>(
            [0xE9], [0xFF], [0xFE, 0xFF], [0xC0, 0xAF], [0xC0, 0x80], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
            [0x80], [0xBF, 0xBF], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3]);
        var before = Encoding.UTF8.GetBytes(Ascii(Between(0, 5)));
        var after = Encoding.UTF8.GetBytes(Ascii(Between(0, 5)));
        return [.. before, .. bad, .. after];
    }

    /// <summary>A hostile value as bytes: mostly valid UTF-8, sometimes not.</summary>
    public byte[] Bytes() => Chance(0.25) ? InvalidUtf8() : Encoding.UTF8.GetBytes(Text());

    /// <summary>A field or parameter name: one the page knows, a framework's, or a hostile one.</summary>
    public string Name(IReadOnlyList<string> known) => Weighted<Func<string>>(
        (50, () => Pick(known)),
        (10, () => Pick("__RequestVerificationToken", "stage", "handler", "itoken", "token", "flow_token", "next", "Input.Username",
            "Input.Password", "Next", "X-HTTP-Method-Override", "_method", "attributes", "attributes.", "attributes..x", "attributes.a.b.c.d",
            "attributes.__proto__", "attributes.constructor.prototype", "groups", "is_superuser", "password_hash", "PasswordHash", "id", "pk")),
        (10, () => Pick(known) + Pick("[0]", "[]", ".x", "[x]", " ", "\t", "%00", "\0", "é", "😀")),
        (30, () => Text())).Invoke();

    public string Guid() => new Guid(Enumerable.Range(0, 16).Select(_ => (byte)_random.Next(256)).ToArray()).ToString();

    /// <summary>A token that is not a usable invitation: not a UUID, SQL, Unicode, the UUID of nothing, a UUID with extra text.</summary>
    public string BadToken(IReadOnlyList<string> unusable) => Weighted<Func<string>>(
        (20, () => Text()),
        (15, () => Guid()),
        (10, () => Pick(unusable)),
        (10, () => Pick(unusable) + Pick("'", "--", " OR 1=1", "\0", "%00", "é", "/../", "}", " ")),
        (10, () => "{" + Guid() + "}"),
        (5, () => Guid().ToUpperInvariant().Replace("-", "")),
        (5, () => "00000000-0000-0000-0000-000000000000"),
        (5, () => Guid() + "," + Guid()),
        (5, () => Pick("(SELECT id FROM invitations LIMIT 1)", "' UNION SELECT * FROM users --", "1' AND SLEEP(5)#", "*", "%", "_"))).Invoke();
}
