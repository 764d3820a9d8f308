namespace Enrollment.Domain;

/// <summary>The languages invitees' pages and emails come in; the first is the one texts are written in.</summary>
public static class Languages
{
    public static readonly IReadOnlyList<string> Supported = ["en", "de", "fr", "es", "nl"];

    /// <summary>The supported language a tag such as <c>de-AT</c> or <c>FR</c> names, or null.</summary>
    public static string? Match(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var primary = tag.Trim().Split('-', '_')[0].ToLowerInvariant();
        return Supported.Contains(primary) ? primary : null;
    }
}
