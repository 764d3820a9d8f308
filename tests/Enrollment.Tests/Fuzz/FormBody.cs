using System.Text;

namespace Enrollment.Tests.Fuzz;

/// <summary>Form bodies built byte by byte, so they can hold what a real encoder would never produce.</summary>
public static class FormBody
{
    public const string UrlEncodedType = "application/x-www-form-urlencoded";

    /// <summary><c>application/x-www-form-urlencoded</c>: every byte outside the unreserved set percent-escaped (the raw bytes when <paramref name="raw"/>).</summary>
    public static byte[] UrlEncoded(IEnumerable<(byte[] Key, byte[] Value)> fields, bool raw = false)
    {
        var body = new MemoryStream();
        var first = true;
        foreach (var (key, value) in fields)
        {
            if (!first) body.WriteByte((byte)'&');
            first = false;
            Escape(body, key, raw);
            body.WriteByte((byte)'=');
            Escape(body, value, raw);
        }
        return body.ToArray();
    }

    public static byte[] UrlEncoded(IEnumerable<(string Key, string Value)> fields) =>
        UrlEncoded(fields.Select(f => (Encoding.UTF8.GetBytes(f.Key), Encoding.UTF8.GetBytes(f.Value))));

    /// <summary>Percent-escapes bytes as a query string or form does; <paramref name="raw"/> keeps bytes over 0x7F and controls unescaped.</summary>
    public static void Escape(Stream to, byte[] bytes, bool raw = false)
    {
        foreach (var b in bytes)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~'
                || raw && (b >= 0x80 || b < 0x20))
                to.WriteByte(b);
            else
            {
                to.WriteByte((byte)'%');
                to.WriteByte((byte)"0123456789ABCDEF"[b >> 4]);
                to.WriteByte((byte)"0123456789ABCDEF"[b & 0xF]);
            }
        }
    }

    public static string Escape(string text)
    {
        var bytes = new MemoryStream();
        Escape(bytes, Encoding.UTF8.GetBytes(text));
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    /// <summary>What can be wrong with a multipart body besides its values.</summary>
    public enum MultipartFlaw { None, NoBoundaryInType, OtherBoundaryInType, BoundaryTooLong, NoClosingBoundary, PartWithoutDisposition, GarbageHeaders, ManyHeaders, FilePart, Truncated, QuotedBoundary }

    /// <summary><c>multipart/form-data</c> with the values as raw bytes, and the flaw asked for. Returns the body and the Content-Type to send.</summary>
    public static (byte[] Body, string ContentType) Multipart(IEnumerable<(string Key, byte[] Value)> fields, MultipartFlaw flaw, string boundary = "fuzz-boundary-7MA4YWxkTrZu0gW")
    {
        if (flaw == MultipartFlaw.BoundaryTooLong) boundary = new string('b', 200);
        var body = new MemoryStream();
        void Write(string text) => body.Write(Encoding.UTF8.GetBytes(text));
        foreach (var (name, value) in fields)
        {
            var key = name.Replace("\"", "%22").Replace('\r', ' ').Replace('\n', ' '); // a name cannot end the part's header
            Write($"--{boundary}\r\n");
            switch (flaw)
            {
                case MultipartFlaw.PartWithoutDisposition:
                    Write("Content-Type: text/plain\r\n");
                    break;
                case MultipartFlaw.GarbageHeaders:
                    Write($"Content-Disposition: form-data; name=\"{key}\"; name=\"again\"\r\nX-\u00e9: \0\r\n: no name\r\n");
                    break;
                case MultipartFlaw.ManyHeaders:
                    Write($"Content-Disposition: form-data; name=\"{key}\"\r\n");
                    for (var i = 0; i < 40; i++) Write($"X-Header-{i}: {new string('h', 500)}\r\n");
                    break;
                case MultipartFlaw.FilePart:
                    Write($"Content-Disposition: form-data; name=\"{key}\"; filename=\"../../{key}.txt\"\r\nContent-Type: application/octet-stream\r\n");
                    break;
                default:
                    Write($"Content-Disposition: form-data; name=\"{key}\"\r\n");
                    break;
            }
            Write("\r\n");
            body.Write(value);
            Write("\r\n");
        }
        if (flaw != MultipartFlaw.NoClosingBoundary) Write($"--{boundary}--\r\n");
        var bytes = body.ToArray();
        if (flaw == MultipartFlaw.Truncated && bytes.Length > 10) bytes = bytes[..(bytes.Length / 2)];
        var type = flaw switch
        {
            MultipartFlaw.NoBoundaryInType => "multipart/form-data",
            MultipartFlaw.OtherBoundaryInType => "multipart/form-data; boundary=not-the-one-used",
            MultipartFlaw.QuotedBoundary => $"multipart/form-data; boundary=\"{boundary}\"",
            _ => $"multipart/form-data; boundary={boundary}",
        };
        return (bytes, type);
    }
}
