namespace Enrollment.Domain;

/// <summary>What a brand may point pages at: its logo, favicon and background are shown to everyone who opens a flow.</summary>
public static class BrandAssets
{
    public const int MaxUrlLength = 2000;
    public const int MaxCustomCssLength = 65536;

    /// <summary>
    /// Null when <paramref name="url"/> is empty, a path on this server (<c>/static/logo.svg</c>, never <c>//host</c>) or an
    /// absolute http(s) address; otherwise why not (a <c>javascript:</c> or <c>data:</c> address would run or hide content).
    /// </summary>
    public static string? Check(string? url)
    {
        if (string.IsNullOrEmpty(url)) return null;
        if (url.Length > MaxUrlLength) return $"Use at most {MaxUrlLength} characters.";
        if (url.Any(char.IsControl) || url.Contains(' ')) return "An address may not contain spaces or line breaks.";
        if (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)) return null;
        return Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0
            ? null
            : "Enter a path on this server starting with / or an address starting with https:// or http://.";
    }

    /// <summary>The origin an absolute address loads from (for the CSP), or null for a path on this server.</summary>
    public static string? OriginOf(string? url) =>
        !string.IsNullOrEmpty(url) && Check(url) is null && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
