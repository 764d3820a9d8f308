using Zxcvbn;
using Zxcvbn.Matcher;

namespace Enrollment.Infrastructure.Passwords;

/// <summary>
/// One of zxcvbn's ranked word lists (word → rank, 1 the most common), built once, and its dictionary matches in a
/// password exactly as <c>zxcvbn-core</c>'s <see cref="DictionaryMatcher"/> finds them (same matches, same order,
/// same entropy), without its costs: that matcher looks up every substring of the password, each one a new string,
/// while no substring longer than the list's longest word can match, and a span looks a word up without allocating.
/// </summary>
internal sealed class RankedDictionary
{
    private readonly Dictionary<string, int> ranks;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> lookup;

    public RankedDictionary(string name, IEnumerable<string> words)
    {
        Name = name;
        ranks = [];
        var rank = 1;
        // As zxcvbn-core: a word listed twice keeps its later rank.
        foreach (var word in words) ranks[word] = rank++;
        lookup = ranks.GetAlternateLookup<ReadOnlySpan<char>>();
        LongestWord = ranks.Keys.Select(w => w.Length).DefaultIfEmpty(0).Max();
    }

    public string Name { get; }

    public int LongestWord { get; }

    /// <summary>One of the lists <c>zxcvbn-core</c> embeds (<c>passwords.lst</c>, <c>english.lst</c>…), line by line as it reads them.</summary>
    public static RankedDictionary Embedded(string name, string file)
    {
        var resource = $"zxcvbn-core.Dictionaries.{file}";
        using var stream = typeof(Zxcvbn.Zxcvbn).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"zxcvbn-core has no word list {resource}.");
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        while (reader.ReadLine() is { } line) words.Add(line);
        return new RankedDictionary(name, words);
    }

    /// <summary>
    /// The dictionary matches of <paramref name="password"/> (its lowercase form <paramref name="lower"/>), by start
    /// then end; with <paramref name="marked"/>, only those whose token covers a marked position (the l33t matcher
    /// keeps no other).
    /// </summary>
    public void Match(string password, string lower, bool[]? marked, List<DictionaryMatch> into)
    {
        for (var i = 0; i < password.Length; i++)
        {
            var last = Math.Min(password.Length - 1, i + LongestWord - 1);
            var firstMarked = marked is null ? i : Array.IndexOf(marked, true, i);
            if (firstMarked < 0) return; // no marked position from here on
            for (var j = Math.Max(i, firstMarked); j <= last; j++)
            {
                if (!lookup.TryGetValue(lower.AsSpan(i, j - i + 1), out var rank)) continue;
                var token = password.Substring(i, j - i + 1);
                var match = new DictionaryMatch
                {
                    Pattern = "dictionary",
                    i = i,
                    j = j,
                    Token = token,
                    MatchedWord = lower.Substring(i, j - i + 1),
                    Rank = rank,
                    DictionaryName = Name,
                    Cardinality = ranks.Count,
                };
                match.BaseEntropy = Math.Log(match.Rank, 2.0);
                match.UppercaseEntropy = ZxcvbnScoring.UppercaseEntropy(token);
                match.Entropy = match.BaseEntropy + match.UppercaseEntropy;
                into.Add(match);
            }
        }
    }
}
