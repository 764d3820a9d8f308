using System.Globalization;
using System.Text;

namespace Enrollment.Domain;

/// <summary>
/// authentik's password policy (<c>authentik_policies_password.passwordpolicy</c>): checks the password a prompt stage
/// asked for under <see cref="PasswordField"/> — static rules (length, digits, upper- and lowercase letters, symbols),
/// the zxcvbn strength score (the policy fails when the score is equal to or less than
/// <see cref="ZxcvbnScoreThreshold"/>), and how often the password appears in Have I Been Pwned's breach corpus
/// (more than <see cref="HibpAllowedCount"/> fails). The defaults are authentik's.
/// </summary>
public class PasswordPolicy : Policy
{
    /// <summary>authentik's default symbol set: ASCII punctuation and the space.</summary>
    public const string DefaultSymbolCharset = "!\\\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ ";

    /// <summary>zxcvbn scores run from 0 (too guessable) to 4 (very unguessable).</summary>
    public const int MaxScore = 4;

    public string PasswordField { get; set; } = "password";
    public bool CheckStaticRules { get; set; } = true;
    public int LengthMin { get; set; }
    public int AmountDigits { get; set; }
    public int AmountUppercase { get; set; }
    public int AmountLowercase { get; set; }
    public int AmountSymbols { get; set; }
    public string SymbolCharset { get; set; } = DefaultSymbolCharset;
    /// <summary>Shown instead of the per-rule messages when a static rule fails; empty: one message per failing rule.</summary>
    public string ErrorMessage { get; set; } = "";
    public bool CheckZxcvbn { get; set; }
    public int ZxcvbnScoreThreshold { get; set; } = 2;
    public bool CheckHaveIBeenPwned { get; set; }
    public int HibpAllowedCount { get; set; }

    public override string AuthentikApp => "authentik_policies_password";
    public override string AuthentikModel => "passwordpolicy";

    /// <summary>
    /// What applies where a prompt stage asks for a password and no password policy is among its validation policies
    /// (and to passwords set by an administrator, the API, blueprints and the bootstrap): current guidance (NIST SP
    /// 800-63B) — at least 8 characters, no composition rules, and not easily guessed (a zxcvbn score of at least 2).
    /// </summary>
    public static PasswordPolicy Default { get; } = new()
    {
        Name = "default-password-policy",
        CheckStaticRules = true,
        LengthMin = 8,
        CheckZxcvbn = true,
        ZxcvbnScoreThreshold = 1,
    };

    /// <summary>Whether a zxcvbn score is too low: equal to or less than the threshold fails, as in authentik.</summary>
    public bool TooWeak(int score) => score <= ZxcvbnScoreThreshold;

    /// <summary>Whether a password found <paramref name="count"/> times in breaches is too often found.</summary>
    public bool TooOftenPwned(int count) => count > HibpAllowedCount;

    /// <summary>
    /// The static rules <paramref name="password"/> breaks, one sentence each (empty when it meets them all, or when
    /// static rules are off). Length counts characters as people do (code points, not UTF-16 units); letters and
    /// digits of every script count.
    /// </summary>
    /// <param name="words">Puts the texts into words (<see cref="English.Format"/> when null; a localizer for invitees).</param>
    public IReadOnlyList<string> StaticProblems(string password, Func<string, object[], string>? words = null)
    {
        var text = words ?? English.Format;
        if (!CheckStaticRules) return [];
        var problems = new List<string>();
        var runes = password.EnumerateRunes().ToList();
        if (runes.Count < LengthMin) problems.Add(Counted(text, LengthMin, "Use at least 1 character.", "Use at least {0:N0} characters."));
        if (AmountDigits > 0 && runes.Count(Rune.IsDigit) < AmountDigits) problems.Add(Counted(text, AmountDigits, "Use at least 1 digit.", "Use at least {0:N0} digits."));
        if (AmountUppercase > 0 && runes.Count(Rune.IsUpper) < AmountUppercase)
            problems.Add(Counted(text, AmountUppercase, "Use at least 1 uppercase letter.", "Use at least {0:N0} uppercase letters."));
        if (AmountLowercase > 0 && runes.Count(Rune.IsLower) < AmountLowercase)
            problems.Add(Counted(text, AmountLowercase, "Use at least 1 lowercase letter.", "Use at least {0:N0} lowercase letters."));
        if (AmountSymbols > 0 && Symbols(password) < AmountSymbols)
            problems.Add(AmountSymbols == 1 ? text("Use at least 1 symbol ({0}).", [SymbolsText(text)]) : text("Use at least {0:N0} symbols ({1}).", [AmountSymbols, SymbolsText(text)]));
        return problems;
    }

    /// <summary>
    /// The rules in one short sentence for the hint under the password field, e.g. "At least 12 characters, 1 digit
    /// and 1 symbol; avoid common words and patterns." Null when the policy asks for nothing a person should know
    /// before typing.
    /// </summary>
    /// <param name="words">As for <see cref="StaticProblems"/>.</param>
    public string? Hint(Func<string, object[], string>? words = null)
    {
        var text = words ?? English.Format;
        var parts = new List<string>();
        if (CheckStaticRules)
        {
            if (LengthMin > 0) parts.Add(Counted(text, LengthMin, "1 character", "{0:N0} characters"));
            if (AmountDigits > 0) parts.Add(Counted(text, AmountDigits, "1 digit", "{0:N0} digits"));
            if (AmountUppercase > 0) parts.Add(Counted(text, AmountUppercase, "1 uppercase letter", "{0:N0} uppercase letters"));
            if (AmountLowercase > 0) parts.Add(Counted(text, AmountLowercase, "1 lowercase letter", "{0:N0} lowercase letters"));
            if (AmountSymbols > 0) parts.Add(Counted(text, AmountSymbols, "1 symbol", "{0:N0} symbols"));
        }
        // Each clause continues the sentence before it ("{0}; avoid…"), so that a language words the join itself (and
        // resource names, which ignore case, never differ only in a capital).
        string? sentence = null;
        if (parts.Count > 0)
            sentence = text("At least {0}", [parts.Count == 1 ? parts[0] : text("{0} and {1}", [string.Join(", ", parts[..^1]), parts[^1]])]);
        if (CheckZxcvbn) sentence = sentence is null ? text("Avoid common words and patterns", []) : text("{0}; avoid common words and patterns", [sentence]);
        if (CheckHaveIBeenPwned) sentence = sentence is null ? text("Not a password known from data breaches", []) : text("{0}; not a password known from data breaches", [sentence]);
        return sentence is null ? null : sentence + ".";
    }

    /// <summary>The charset as a person reads it: "one of !#% or a space".</summary>
    private string SymbolsText(Func<string, object[], string> text)
    {
        var visible = new string(SymbolCharset.Where(c => !char.IsWhiteSpace(c)).Distinct().ToArray());
        var space = SymbolCharset.Contains(' ');
        return visible.Length == 0 ? text("a space", []) : space ? text("one of {0} or a space", [visible]) : text("one of {0}", [visible]);
    }

    /// <summary>One text for exactly one, another (with the number) for any other count.</summary>
    private static string Counted(Func<string, object[], string> text, int n, string one, string many) => n == 1 ? text(one, []) : text(many, [n]);

    /// <summary>authentik counts each occurrence of each character of the charset.</summary>
    private int Symbols(string password) => password.Count(c => SymbolCharset.Contains(c));

}
