using MimeKit;

namespace Enrollment.Infrastructure.Email;

/// <summary>
/// Checks one address typed or uploaded by an admin or an invitee. Only a bare <c>local@domain</c> is accepted —
/// no display names, groups, lists, comments or line breaks — so nothing a user types can add a header or a
/// recipient to a message.
/// </summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;

    public static bool TryParse(string? value, out MailboxAddress address, out string error)
    {
        address = null!;
        var text = value?.Trim() ?? "";
        if (text.Length == 0) { error = "The email address is empty."; return false; }
        if (text.Length > MaxLength) { error = $"The email address is longer than {MaxLength} characters."; return false; }
        // Each refusal says why, so an admin sees what to change; the value is quoted with control characters
        // made visible (a pasted "a@example.com\r\nBcc: …" shows as such, not as two lines).
        if (text.Any(char.IsControl))
        {
            error = $"\"{Shown(text)}\" is not a valid email address: it contains a line break or another control character.";
            return false;
        }
        if (text.Any(c => c is '<' or '>' or '"' or '(' or ')'))
        {
            error = $"\"{Shown(text)}\" is not a valid email address: enter the bare address, like jane@example.com, without a name, quotes or angle brackets.";
            return false;
        }
        if (text.Any(c => char.IsWhiteSpace(c) || c is ',' or ';'))
        {
            error = $"\"{Shown(text)}\" is not a valid email address: enter one address at a time, without spaces, commas or semicolons.";
            return false;
        }
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1 || text.IndexOf('@') != at
            || !MailboxAddress.TryParse(ParserOptions.Default, text, out var parsed) || parsed.Address != text)
        {
            error = $"\"{Shown(text)}\" is not a valid email address.";
            return false;
        }
        address = parsed;
        error = "";
        return true;
    }

    public static bool IsValid(string? value) => TryParse(value, out _, out _);

    /// <summary>The value as a message may quote it: at most 80 characters, control characters as <c>\r</c>, <c>\n</c>, <c>\u0000</c>.</summary>
    private static string Shown(string text)
    {
        var shown = string.Concat(text.Select(c => c switch
        {
            '\r' => "\\r",
            '\n' => "\\n",
            '\t' => "\\t",
            _ when char.IsControl(c) => $"\\u{(int)c:x4}",
            _ => c.ToString(),
        }));
        return shown.Length <= 80 ? shown : shown[..77] + "…";
    }
}
