using System.Text;

namespace Enrollment.Tests.Fuzz;

/// <summary>
/// One request the fuzz sends, kept as bytes and raw header values (a content type that is no media type, a body that
/// is not UTF-8), with what is needed to tell it again in a failure message.
/// </summary>
public sealed class FuzzRequest(HttpMethod method, string url, string kind)
{
    public HttpMethod Method { get; } = method;
    public string Url { get; } = url;
    /// <summary>What the generator meant to send, e.g. "urlencoded, 3 mutations".</summary>
    public string Kind { get; } = kind;
    public byte[]? Body { get; init; }
    /// <summary>The Content-Type header as sent, unchecked; null sends none.</summary>
    public string? ContentType { get; init; }
    public List<(string Name, string Value)> Headers { get; } = [];
    /// <summary>The request carries bytes no field may hold (not UTF-8, or a NUL): it must not write anything.</summary>
    public bool CarriesBadBytes { get; init; }

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Url);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null) message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        foreach (var (name, value) in Headers)
            if (!message.Headers.TryAddWithoutValidation(name, value)) message.Content?.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    public override string ToString()
    {
        var text = new StringBuilder($"{Method} {Cut(Url, 300)} [{Kind}]");
        if (ContentType is not null) text.Append($"\n  Content-Type: {Cut(ContentType, 200)}");
        foreach (var (name, value) in Headers) text.Append($"\n  {name}: {Cut(value, 200)}");
        if (Body is not null) text.Append($"\n  body ({Body.Length:N0} bytes): {Printable(Body)}");
        return text.ToString();
    }

    private static string Cut(string text, int max) => text.Length > max ? text[..max] + $"…(+{text.Length - max:N0})" : text;

    /// <summary>The start of the body with bytes that are not printable ASCII as \xNN, so it can be read and replayed.</summary>
    private static string Printable(byte[] body)
    {
        var text = new StringBuilder();
        foreach (var b in body.Take(600)) text.Append(b is >= 0x20 and < 0x7F ? (char)b : $"\\x{b:X2}");
        if (body.Length > 600) text.Append('…');
        return text.ToString();
    }
}
