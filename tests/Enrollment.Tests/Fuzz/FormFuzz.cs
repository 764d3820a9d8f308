using System.Text;

namespace Enrollment.Tests.Fuzz;

/// <summary>
/// Turns the fields a page's form would post into a hostile request: the fields mutated (values replaced by hostile
/// ones, dropped, renamed, doubled), then sent in a random shape — url-encoded, multipart (with a broken boundary or
/// headers), bytes that are not UTF-8, NUL characters, thousands of fields, over a megabyte, a content type that is
/// no form (JSON with the antiforgery header, XML, plain text), another method — with htmx and other headers on or off.
/// </summary>
public sealed class FormFuzz(Hostile hostile)
{
    /// <summary>Mutates <paramref name="fields"/> in place: up to <paramref name="max"/> changes; returns how many.</summary>
    public int Mutate(List<(string Key, string Value)> fields, IReadOnlyList<string> known, int max)
    {
        var changes = hostile.Between(0, max);
        for (var i = 0; i < changes; i++)
        {
            var at = fields.Count == 0 ? -1 : hostile.Between(0, fields.Count - 1);
            switch (hostile.Between(0, 5))
            {
                case 0 or 1 when at >= 0: fields[at] = (fields[at].Key, hostile.Text()); break;
                case 2 when at >= 0: fields.RemoveAt(at); break;
                case 3 when at >= 0: fields[at] = (hostile.Name(known), fields[at].Value); break;
                case 4 when at >= 0: fields.Insert(hostile.Between(0, fields.Count), (fields[at].Key, hostile.Text())); break;
                default: fields.Add((hostile.Name(known), hostile.Text())); break;
            }
        }
        return changes;
    }

    /// <summary>A form of random fields only: the names the page knows and hostile ones.</summary>
    public List<(string Key, string Value)> Random(IReadOnlyList<string> known) =>
        Enumerable.Range(0, hostile.Between(0, 30)).Select(_ => (hostile.Name(known), hostile.Text())).ToList();

    /// <summary>The fields as a request of a random shape; <paramref name="token"/> is the page's antiforgery token, for the header variants.</summary>
    public FuzzRequest Request(string url, List<(string Key, string Value)> fields, string? token, string what)
    {
        var hasNul = fields.Any(f => f.Key.Contains('\0') || f.Value.Contains('\0'));
        var request = hostile.Weighted<Func<FuzzRequest>>(
            (40, () => new FuzzRequest(HttpMethod.Post, url, $"{what}, url-encoded")
                { Body = FormBody.UrlEncoded(fields), ContentType = UrlEncodedType(), CarriesBadBytes = hasNul }),
            (12, () => Multipart(url, fields.Select(f => (f.Key, Encoding.UTF8.GetBytes(f.Value))).ToList(), what, hasNul)),
            (10, () => InvalidUtf8(url, fields, what)),
            (5, () => WithNul(url, fields, what)),
            (5, () => ManyFields(url, fields, what, hasNul)),
            (3, () => new FuzzRequest(HttpMethod.Post, url, $"{what}, over 1 MB")
                { Body = FormBody.UrlEncoded([.. fields, ("big", new string('b', hostile.Pick(1_048_577, 1_200_000, 3_000_000)))]), ContentType = FormBody.UrlEncodedType, CarriesBadBytes = hasNul }),
            (12, () => NoForm(url, fields, token, what)),
            (5, () => Twice(url, fields, what)),
            (4, () => new FuzzRequest(hostile.Pick(HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete, new HttpMethod("PROPFIND")), url, $"{what}, another method")
                { Body = FormBody.UrlEncoded(fields), ContentType = FormBody.UrlEncodedType, CarriesBadBytes = hasNul }),
            (4, () => hostile.Chance(0.5)
                ? new FuzzRequest(HttpMethod.Post, url, $"{what}, no body")
                : new FuzzRequest(HttpMethod.Post, url, $"{what}, empty form") { Body = [], ContentType = FormBody.UrlEncodedType })).Invoke();
        AddHeaders(request, token);
        return request;
    }

    private string UrlEncodedType() => hostile.Weighted(
        (85, FormBody.UrlEncodedType), (5, "application/x-www-form-urlencoded; charset=iso-8859-1"), (5, "APPLICATION/X-WWW-FORM-URLENCODED"),
        (5, "application/x-www-form-urlencoded; charset=utf-8; boundary=x"));

    private FuzzRequest Multipart(string url, List<(string Key, byte[] Value)> fields, string what, bool bad)
    {
        var flaw = hostile.Chance(0.6) ? FormBody.MultipartFlaw.None : hostile.Pick(Enum.GetValues<FormBody.MultipartFlaw>());
        var (body, type) = FormBody.Multipart(fields, flaw);
        // A file's bytes are no field's value: nothing refuses a NUL in a file.
        // Only a well-formed multipart body is sure to have its values read (a file's bytes are no field's value, and a
        // part the reader skips is not refused): only then must a NUL in a value be refused.
        var read = flaw is FormBody.MultipartFlaw.None or FormBody.MultipartFlaw.QuotedBoundary;
        return new FuzzRequest(HttpMethod.Post, url, $"{what}, multipart ({flaw})") { Body = body, ContentType = type, CarriesBadBytes = bad && read };
    }

    /// <summary>One value (or key) as bytes that are not UTF-8: percent-escaped, raw in the body, or in a multipart part.</summary>
    private FuzzRequest InvalidUtf8(string url, List<(string Key, string Value)> fields, string what)
    {
        var bytes = fields.Select(f => (Key: Encoding.UTF8.GetBytes(f.Key), Value: Encoding.UTF8.GetBytes(f.Value))).ToList();
        var at = hostile.Between(0, bytes.Count);
        var bad = hostile.InvalidUtf8();
        if (at == bytes.Count) bytes.Add((Encoding.UTF8.GetBytes("extra"), bad));
        else bytes[at] = hostile.Chance(0.8) ? (bytes[at].Key, bad) : (bad, bytes[at].Value);
        var shape = hostile.Between(0, 2);
        if (shape == 2)
        {
            // Multipart names are text in a header; the bad bytes go in a value there.
            var parts = bytes.Select((b, i) => (Encoding.UTF8.GetString(b.Key), i == Math.Min(at, bytes.Count - 1) ? bad : b.Value)).ToList();
            var (body, type) = FormBody.Multipart(parts, FormBody.MultipartFlaw.None);
            return new FuzzRequest(HttpMethod.Post, url, $"{what}, invalid UTF-8 in multipart") { Body = body, ContentType = type, CarriesBadBytes = true };
        }
        return new FuzzRequest(HttpMethod.Post, url, $"{what}, invalid UTF-8 {(shape == 0 ? "percent-escaped" : "raw")}")
            { Body = FormBody.UrlEncoded(bytes, raw: shape == 1), ContentType = FormBody.UrlEncodedType, CarriesBadBytes = true };
    }

    private FuzzRequest Twice(string url, List<(string Key, string Value)> fields, string what)
    {
        var twice = fields.SelectMany(f => new (string Key, string Value)[] { f, (f.Key, hostile.Text()) }).ToList();
        return new FuzzRequest(HttpMethod.Post, url, $"{what}, every field twice")
            { Body = FormBody.UrlEncoded(twice), ContentType = FormBody.UrlEncodedType, CarriesBadBytes = twice.Any(f => f.Key.Contains('\0') || f.Value.Contains('\0')) };
    }

    private FuzzRequest WithNul(string url, List<(string Key, string Value)> fields, string what)
    {
        var copy = fields.ToList();
        var at = hostile.Between(0, copy.Count);
        if (at == copy.Count) copy.Add(("nul\0key", "x"));
        else copy[at] = hostile.Chance(0.8) ? (copy[at].Key, copy[at].Value + "\0" + hostile.Ascii(3)) : (copy[at].Key + "\0", copy[at].Value);
        if (hostile.Chance(0.3)) return Multipart(url, copy.Select(f => (f.Key.Replace("\0", ""), Encoding.UTF8.GetBytes(f.Value))).ToList(), $"{what}, NUL", copy.Any(f => f.Value.Contains('\0')));
        return new FuzzRequest(HttpMethod.Post, url, $"{what}, NUL") { Body = FormBody.UrlEncoded(copy), ContentType = FormBody.UrlEncodedType, CarriesBadBytes = true };
    }

    private FuzzRequest ManyFields(string url, List<(string Key, string Value)> fields, string what, bool bad)
    {
        var count = hostile.Pick(1_023, 1_025, 2_000, 10_000);
        var same = hostile.Chance(0.3); // one name repeated, or each name new
        var extra = Enumerable.Range(0, count).Select(i => (same ? "f" : $"f{i}", "x"));
        return new FuzzRequest(HttpMethod.Post, url, $"{what}, {count:N0} more fields{(same ? " of one name" : "")}")
            { Body = FormBody.UrlEncoded([.. fields, .. extra]), ContentType = FormBody.UrlEncodedType, CarriesBadBytes = bad };
    }

    /// <summary>A body that is no form: JSON (with the antiforgery token in the header), XML, plain text, no type, a broken type.</summary>
    private FuzzRequest NoForm(string url, List<(string Key, string Value)> fields, string? token, string what)
    {
        var json = "{" + string.Join(",", fields.Select(f => $"{JsonText(f.Key)}:{JsonText(f.Value)}")) + "}";
        var (type, body) = hostile.Weighted(
            (30, ("application/json", json)),
            (10, ("application/json; charset=utf-8", "[" + json + "]")),
            (10, ("text/plain", Encoding.UTF8.GetString(FormBody.UrlEncoded(fields)))),
            (10, ("application/xml", "<form>" + string.Concat(fields.Select(f => $"<f n=\"{Xml(f.Key)}\">{Xml(f.Value)}</f>")) + "</form>")),
            (10, ((string?)null, Encoding.UTF8.GetString(FormBody.UrlEncoded(fields)))),
            (10, (hostile.Pick("form", "multipart/mixed; boundary=x", "application/x-www-form-urlencoded/extra", ";;;", "x/y; a=\"unclosed", "*/*", "multipart/form-data; boundary="), Encoding.UTF8.GetString(FormBody.UrlEncoded(fields)))),
            (5, ("application/octet-stream", "\u0001\u0002binary")));
        var request = new FuzzRequest(HttpMethod.Post, url, $"{what}, {type ?? "no content type"}") { Body = Encoding.UTF8.GetBytes(body), ContentType = type };
        if (token is not null && hostile.Chance(0.7)) request.Headers.Add(("RequestVerificationToken", token));
        return request;
    }

    /// <summary>htmx on or off (boosted, history restore), and headers a script might forge.</summary>
    private void AddHeaders(FuzzRequest request, string? token)
    {
        if (hostile.Chance(0.35))
        {
            request.Headers.Add(("HX-Request", hostile.Pick("true", "false", "", "1")));
            if (hostile.Chance(0.2)) request.Headers.Add(("HX-Boosted", "true"));
            if (hostile.Chance(0.1)) request.Headers.Add(("HX-History-Restore-Request", "true"));
            if (hostile.Chance(0.3)) request.Headers.Add(("HX-Target", Header(hostile.Text())));
            if (hostile.Chance(0.3)) request.Headers.Add(("HX-Current-URL", Header(hostile.Text())));
        }
        if (hostile.Chance(0.1) && token is not null) request.Headers.Add(("RequestVerificationToken", hostile.Chance(0.5) ? token : Header(hostile.Text())));
        if (hostile.Chance(0.1)) request.Headers.Add(("Accept", hostile.Pick("application/json", "text/html", "*/*", "application/xml", Header(hostile.Text()))));
        if (hostile.Chance(0.05)) request.Headers.Add(("Accept-Language", Header(hostile.Text())));
        if (hostile.Chance(0.05)) request.Headers.Add(("Origin", hostile.Pick("http://evil.example", "null", Header(hostile.Text()))));
        if (hostile.Chance(0.05)) request.Headers.Add(("X-Forwarded-For", hostile.Pick("1.2.3.4", "::1, 10.0.0.1", Header(hostile.Text()))));
        if (hostile.Chance(0.05)) request.Headers.Add(("X-Forwarded-Host", hostile.Pick("evil.example", Header(hostile.Text()))));
        if (hostile.Chance(0.05)) request.Headers.Add(("X-HTTP-Method-Override", hostile.Pick("DELETE", "PUT", "GET")));
    }

    /// <summary>Header values travel as printable ASCII: anything else is replaced, so the client sends what the generator meant.</summary>
    public static string Header(string text)
    {
        var chars = text.Take(2000).Select(c => c is >= ' ' and <= '~' ? c : '?').ToArray();
        return new string(chars).Trim();
    }

    private static string JsonText(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static string Xml(string text) => System.Security.SecurityElement.Escape(text.Replace("\0", "")) ?? "";
}
