using System.Globalization;

namespace Enrollment.Domain;

/// <summary>
/// Texts with values, as the domain words them for admins, the API and logs. A text is also the key of its
/// translations (<c>Resources/*.resx</c>): what invitees read passes a localizer instead of <see cref="Format"/>.
/// </summary>
public static class English
{
    public static string Format(string text, object[] values) => string.Format(CultureInfo.InvariantCulture, text, values);
}
