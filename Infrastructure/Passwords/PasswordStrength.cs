using System.Text;
using Zxcvbn.Matcher;

namespace Enrollment.Infrastructure.Passwords;

/// <summary>
/// zxcvbn's estimate of how guessable a password is (the <c>zxcvbn-core</c> port). That port gives a score but no
/// feedback of its own; the suggestions are made here from the patterns it matched (a common password, a dictionary
/// word, a keyboard walk…), in the spirit of zxcvbn's feedback. One estimator serves the process: its word lists are
/// built once, and its matchers (<see cref="ZxcvbnMatchers"/>) give the package's scores at a fraction of its cost.
/// </summary>
public static class PasswordStrength
{
    // Read-only once built (the package's own matchers build their tables in thread-safe Lazy values): safe to share.
    private static readonly Zxcvbn.Zxcvbn Estimator = new(new ZxcvbnMatchers());

    /// <summary>
    /// As authentik: only the first 100 characters are scored — longer passwords pass any threshold anyway, and the
    /// matcher's work grows quickly with length.
    /// </summary>
    public const int ScoredLength = 100;

    public static StrengthEstimate Estimate(string password, IEnumerable<string>? userInputs = null)
    {
        var scored = Truncate(password);
        var inputs = (userInputs ?? []).Where(i => !string.IsNullOrWhiteSpace(i)).Select(i => i.Trim().ToLowerInvariant()).ToList();
        var result = Estimator.EvaluatePassword(scored, inputs);
        return new StrengthEstimate(result.Score, Suggestions(result.MatchSequence));
    }

    private static IReadOnlyList<string> Suggestions(IEnumerable<Zxcvbn.Match> matches)
    {
        var found = new List<string>();
        void Add(string text)
        {
            if (!found.Contains(text)) found.Add(text);
        }
        foreach (var m in matches)
        {
            switch (m)
            {
                case DictionaryMatch { DictionaryName: "passwords" }:
                    Add("Avoid common passwords and their variations.");
                    break;
                case DictionaryMatch { DictionaryName: "user_inputs" }:
                    Add("Avoid your name, username or email address.");
                    break;
                case DictionaryMatch d when d.DictionaryName.EndsWith("names", StringComparison.Ordinal):
                    Add("Avoid names and surnames on their own.");
                    break;
                case DictionaryMatch:
                    Add("Avoid single common words.");
                    break;
                case SpatialMatch:
                    Add("Avoid keyboard patterns like qwerty or asdf.");
                    break;
                case RepeatMatch:
                    Add("Avoid repeated characters like aaa.");
                    break;
                case SequenceMatch:
                    Add("Avoid sequences like abc or 6543.");
                    break;
                case DateMatch:
                    Add("Avoid dates and years.");
                    break;
                case { Pattern: "year" }:
                    Add("Avoid dates and years.");
                    break;
            }
            if (m is L33tDictionaryMatch) Add("Predictable substitutions like @ for a or 0 for o do not help much.");
        }
        found.Add("Add another word or two: uncommon words are better.");
        return found;
    }

    /// <summary>The first <see cref="ScoredLength"/> characters, never cutting a character in half.</summary>
    private static string Truncate(string password)
    {
        if (password.Length <= ScoredLength) return password;
        var text = new StringBuilder();
        foreach (var rune in password.EnumerateRunes().Take(ScoredLength)) text.Append(rune.ToString());
        return text.ToString();
    }
}
