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
        if (text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or ',' or ';' or '"' or '(' or ')'))
        {
            error = $"\"{Shorten(text)}\" is not a valid email address.";
            return false;
        }
        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1 || text.IndexOf('@') != at
            || !MailboxAddress.TryParse(ParserOptions.Default, text, out var parsed) || parsed.Address != text)
        {
            error = $"\"{Shorten(text)}\" is not a valid email address.";
            return false;
        }
        address = parsed;
        error = "";
        return true;
    }

    public static bool IsValid(string? value) => TryParse(value, out _, out _);

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..77] + "…";
}
