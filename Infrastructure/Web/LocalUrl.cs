namespace Enrollment.Infrastructure.Web;

/// <summary>
/// The one check for return addresses (<c>?next=</c>, a plan's <c>redirect</c>, the sign-in page's target): only a
/// path on this site is followed, never another site (no open redirects).
/// </summary>
public static class LocalUrl
{
    /// <summary>
    /// <paramref name="url"/> when it is a path on this site, else null. Like <c>Url.IsLocalUrl</c>, and stricter:
    /// browsers drop tabs and line breaks anywhere in a URL and read <c>\</c> as <c>/</c>, so <c>/\t/evil.example</c>
    /// and <c>/\evil.example</c> lead to another host; a URL holding control characters is refused outright (it
    /// could not even be sent in a Location header), and the check is repeated on the percent-decoded form so
    /// <c>/%2F%2Fevil.example</c> and <c>/%5Cevil.example</c> do not pass to a server that decodes before redirecting.
    /// </summary>
    public static string? SafeOrNull(string? url)
    {
        if (string.IsNullOrEmpty(url)) return null;
        foreach (var c in url)
            if (char.IsControl(c)) return null;
        var candidate = url;
        // Decoding twice covers a value that was escaped once more than needed; more layers are refused.
        for (var layer = 0; layer < 3; layer++)
        {
            if (!IsLocalPath(candidate)) return null;
            var decoded = Uri.UnescapeDataString(candidate);
            if (decoded == candidate) return url;
            foreach (var c in decoded)
                if (char.IsControl(c)) return null;
            candidate = decoded;
        }
        return null;
    }

    public static bool IsSafe(string? url) => SafeOrNull(url) is not null;

    /// <summary>Starts with one slash, and is not <c>//host</c> or <c>/\host</c> once whitespace is removed.</summary>
    private static bool IsLocalPath(string url)
    {
        var squeezed = string.Concat(url.Where(c => !char.IsWhiteSpace(c)));
        if (squeezed.Length == 0 || squeezed[0] != '/' || url[0] != '/') return false;
        return squeezed.Length == 1 || (squeezed[1] != '/' && squeezed[1] != '\\');
    }
}
