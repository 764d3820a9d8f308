namespace Enrollment.Domain;

/// <summary>The languages invitees' pages and emails come in; the first is the one texts are written in.</summary>
public static class Languages
{
    /// <summary>
    /// Adding one: its code here, its name in <see cref="NativeName"/>, and a translation of every file in
    /// <c>Resources/</c> (<c>FlowTexts.&lt;code&gt;.resx</c>, …); a test fails while one text is missing.
    /// </summary>
    public static readonly IReadOnlyList<string> Supported = ["en", "de", "fr", "es", "nl"];

    /// <summary>A supported language's name in that language, as a language chooser lists it (the code for others).</summary>
    public static string NativeName(string code) => code switch
    {
        "en" => "English",
        "de" => "Deutsch",
        "fr" => "Français",
        "es" => "Español",
        "nl" => "Nederlands",
        _ => code,
    };

    /// <summary>The supported language a tag such as <c>de-AT</c> or <c>FR</c> names, or null.</summary>
    public static string? Match(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag)) return null;
        var primary = tag.Trim().Split('-', '_')[0].ToLowerInvariant();
        return Supported.Contains(primary) ? primary : null;
    }
}
