using System.Globalization;

namespace Enrollment.Domain;

/// <summary>
/// A password rule's words in the reader's language: <paramref name="english"/> is the English text with its
/// placeholders (<c>{0:N0}</c>), as the translations are keyed; the answer is that text in the language, formatted
/// with <paramref name="values"/>.
/// </summary>
public delegate string PasswordTexts(string english, params object[] values);

public static class PasswordTextsExtensions
{
    extension(PasswordTexts)
    {
        /// <summary>The English texts, numbers as English writes them.</summary>
        public static PasswordTexts English => static (english, values) => values.Length == 0 ? english : string.Format(CultureInfo.InvariantCulture, english, values);
    }
}
