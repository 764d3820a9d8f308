using System.Text.RegularExpressions;

namespace Enrollment.Infrastructure.Passwords;

/// <summary>
/// The two entropy formulas of <c>zxcvbn-core</c> that its matchers use and it keeps internal, as it has them (the same
/// patterns, the same arithmetic in the same order), so that <see cref="ZxcvbnMatchers"/> gives the same scores.
/// </summary>
internal static partial class ZxcvbnScoring
{
    [GeneratedRegex("^[^A-Z]+$")]
    private static partial Regex NoUpper();

    [GeneratedRegex("^[A-Z][^A-Z]+$")]
    private static partial Regex UpperFirst();

    [GeneratedRegex("^[^A-Z]+[A-Z]$")]
    private static partial Regex UpperLast();

    [GeneratedRegex("^[^a-z]+$")]
    private static partial Regex NoLower();

    public static double UppercaseEntropy(string word)
    {
        if (NoUpper().IsMatch(word)) return 0.0;
        if (UpperFirst().IsMatch(word) || UpperLast().IsMatch(word) || NoLower().IsMatch(word)) return 1.0;
        var lowers = word.Count(c => c is >= 'a' and <= 'z');
        var uppers = word.Count(c => c is >= 'A' and <= 'Z');
        return Math.Log(Enumerable.Range(0, Math.Min(uppers, lowers) + 1).Sum(i => Binomial(uppers + lowers, i)), 2.0);
    }

    public static long Binomial(int n, int k)
    {
        if (k > n) return 0L;
        if (k == 0) return 1L;
        var result = 1L;
        for (var i = 1; i <= k; i++)
        {
            result *= n;
            result /= i;
            n--;
        }
        return result;
    }
}
