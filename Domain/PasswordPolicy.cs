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
    public IReadOnlyList<string> StaticProblems(string password)
    {
        if (!CheckStaticRules) return [];
        var problems = new List<string>();
        var length = password.EnumerateRunes().Count();
        if (length < LengthMin) problems.Add($"Use at least {Count(LengthMin, "character")}.");
        var runes = password.EnumerateRunes().ToList();
        if (AmountDigits > 0 && runes.Count(Rune.IsDigit) < AmountDigits) problems.Add($"Use at least {Count(AmountDigits, "digit")}.");
        if (AmountUppercase > 0 && runes.Count(Rune.IsUpper) < AmountUppercase) problems.Add($"Use at least {Count(AmountUppercase, "uppercase letter")}.");
        if (AmountLowercase > 0 && runes.Count(Rune.IsLower) < AmountLowercase) problems.Add($"Use at least {Count(AmountLowercase, "lowercase letter")}.");
        if (AmountSymbols > 0 && Symbols(password) < AmountSymbols) problems.Add($"Use at least {Count(AmountSymbols, "symbol")} ({SymbolsText}).");
        return problems;
    }

    /// <summary>
    /// The rules in one short sentence for the hint under the password field, e.g. "At least 12 characters, 1 digit
    /// and 1 symbol; avoid common words and patterns." Null when the policy asks for nothing a person should know
    /// before typing.
    /// </summary>
    public string? Hint()
    {
        var parts = new List<string>();
        if (CheckStaticRules)
        {
            if (LengthMin > 0) parts.Add(Count(LengthMin, "character"));
            if (AmountDigits > 0) parts.Add(Count(AmountDigits, "digit"));
            if (AmountUppercase > 0) parts.Add(Count(AmountUppercase, "uppercase letter"));
            if (AmountLowercase > 0) parts.Add(Count(AmountLowercase, "lowercase letter"));
            if (AmountSymbols > 0) parts.Add(Count(AmountSymbols, "symbol"));
        }
        var sentences = new List<string>();
        if (parts.Count > 0)
            sentences.Add("At least " + (parts.Count == 1 ? parts[0] : string.Join(", ", parts[..^1]) + " and " + parts[^1]));
        if (CheckZxcvbn) sentences.Add(sentences.Count == 0 ? "Avoid common words and patterns" : "avoid common words and patterns");
        if (CheckHaveIBeenPwned) sentences.Add(sentences.Count == 0 ? "Not a password known from data breaches" : "not a password known from data breaches");
        return sentences.Count == 0 ? null : string.Join("; ", sentences) + ".";
    }

    /// <summary>The charset as a person reads it: "one of !#% or a space".</summary>
    private string SymbolsText
    {
        get
        {
            var visible = new string(SymbolCharset.Where(c => !char.IsWhiteSpace(c)).Distinct().ToArray());
            var space = SymbolCharset.Contains(' ');
            return visible.Length == 0 ? "a space" : "one of " + visible + (space ? " or a space" : "");
        }
    }

    /// <summary>authentik counts each occurrence of each character of the charset.</summary>
    private int Symbols(string password) => password.Count(c => SymbolCharset.Contains(c));

    private static string Count(int n, string noun) =>
        n.ToString("N0", CultureInfo.InvariantCulture) + " " + (n == 1 ? noun : noun + "s");
}
