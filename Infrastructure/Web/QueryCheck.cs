using System.Text;
using System.Text.Unicode;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// What no query string may hold, for pages (<see cref="FormGuard"/>) and the API alike: more than Kestrel's 8 KB
/// request line (a host without that limit, or the test server, would pass it on), a NUL character (PostgreSQL stores
/// none, in text or jsonb, and searches for none) or escapes of bytes that are not UTF-8 (they would be read as U+FFFD).
/// </summary>
public static class QueryCheck
{
    public const int MaxLength = 8 * 1024;

    /// <summary>The status and what is wrong ("is longer than 8 KB", "holds …"), or null when the query string is fine.</summary>
    public static (int Status, string Problem)? Of(string? query)
    {
        if (string.IsNullOrEmpty(query)) return null;
        if (query.Length > MaxLength) return (StatusCodes.Status414UriTooLong, $"is longer than {MaxLength / 1024} KB");
        if (!query.Contains('%')) return null;
        var decoded = OnceDecoded(Encoding.UTF8.GetBytes(query));
        if (!Utf8.IsValid(decoded)) return (StatusCodes.Status400BadRequest, "holds text that is not valid UTF-8");
        return decoded.Contains((byte)0) ? (StatusCodes.Status400BadRequest, "holds characters no field accepts (a NUL character)") : null;
    }

    /// <summary>The bytes with every <c>%XX</c> replaced by the byte it escapes.</summary>
    public static ReadOnlySpan<byte> OnceDecoded(ReadOnlySpan<byte> encoded)
    {
        var decoded = new byte[encoded.Length];
        var n = 0;
        for (var i = 0; i < encoded.Length; i++)
        {
            if (encoded[i] == '%' && i + 2 < encoded.Length && IsHex(encoded[i + 1]) && IsHex(encoded[i + 2]))
            {
                decoded[n++] = (byte)(Hex(encoded[i + 1]) << 4 | Hex(encoded[i + 2]));
                i += 2;
            }
            else decoded[n++] = encoded[i];
        }
        return decoded.AsSpan(0, n);

        static bool IsHex(byte b) => b is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';
        static int Hex(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;
    }
}
