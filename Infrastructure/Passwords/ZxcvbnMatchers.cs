using Zxcvbn;
using Zxcvbn.Matcher;

namespace Enrollment.Infrastructure.Passwords;

/// <summary>
/// The matchers <c>zxcvbn-core</c> scores a password with, built once per process, with its dictionary and l33t
/// matchers replaced by ones that find exactly the same matches (same order, same entropy, so the same score and
/// match sequence) at a fraction of the cost. The package's own entry point (<c>Zxcvbn.MatchPassword</c>) rebuilds its
/// six ranked word lists — some 85,000 words — on every call (~35–50 ms of CPU); its l33t matcher then looks every
/// substring of every substituted variant of the password up in all six lists. Here the lists are built once, no
/// substring longer than a list's longest word is looked up, a l33t variant is only searched where a substitution
/// was made (the package drops every other match), and all matches come back as one list (the package chains a lazy
/// <c>Union</c> per matcher and walks the chain once per character). Repeats, sequences, digits, years, dates and
/// keyboard patterns are the package's own matchers.
/// </summary>
public sealed class ZxcvbnMatchers : IMatcherFactory
{
    /// <summary>zxcvbn-core's l33t table, in its order: letter → the characters that stand for it.</summary>
    private static readonly (char Letter, string Subs)[] L33tTable =
    [
        ('a', "4@"), ('b', "8"), ('c', "({[<"), ('e', "3"), ('g', "69"), ('i', "1!|"),
        ('l', "1|7"), ('o', "0"), ('s', "$5"), ('t', "+7"), ('x', "%"), ('z', "2"),
    ];

    private readonly IMatcher[] patterns =
    [
        new RepeatMatcher(),
        new SequenceMatcher(),
        new RegexMatcher("\\d{3,}", 10, perCharCardinality: true, "digits"),
        new RegexMatcher("19\\d\\d|200\\d|201\\d", 119, perCharCardinality: false, "year"),
        new DateMatcher(),
        new SpatialMatcher(),
    ];

    private readonly RankedDictionary[] dictionaries =
    [
        RankedDictionary.Embedded("passwords", "passwords.lst"),
        RankedDictionary.Embedded("english", "english.lst"),
        RankedDictionary.Embedded("male_names", "male_names.lst"),
        RankedDictionary.Embedded("female_names", "female_names.lst"),
        RankedDictionary.Embedded("surnames", "surnames.lst"),
        RankedDictionary.Embedded("us_tv_and_film", "us_tv_and_film.lst"),
    ];

    /// <summary>All matchers as one, in the package's order (its default matchers, then the user inputs' dictionary and l33t).</summary>
    public IEnumerable<IMatcher> CreateMatchers(IEnumerable<string> userInputs) =>
        [new AllMatches(this, new RankedDictionary("user_inputs", userInputs.Select(w => w.ToLower())))];

    private sealed class AllMatches(ZxcvbnMatchers matchers, RankedDictionary userInputs) : IMatcher
    {
        public IEnumerable<Match> MatchPassword(string password)
        {
            var all = new List<Match>();
            foreach (var pattern in matchers.patterns) all.AddRange(pattern.MatchPassword(password));
            var lower = password.ToLower();
            var found = new List<DictionaryMatch>();
            // The package's lists, then the person's own words: each one's dictionary matches, then its l33t matches.
            foreach (RankedDictionary[] lists in (RankedDictionary[][])[matchers.dictionaries, [userInputs]])
            {
                found.Clear();
                foreach (var dictionary in lists) dictionary.Match(password, lower, null, found);
                all.AddRange(found);
                L33t(password, lists, all);
            }
            return all;
        }
    }

    /// <summary>
    /// zxcvbn-core's l33t matcher: for each combination of substitutions the password allows, the dictionary matches of
    /// the password with those characters replaced by their letters, kept only where the matched token holds a
    /// substituted character, with the l33t entropy added.
    /// </summary>
    private static void L33t(string password, IReadOnlyList<RankedDictionary> dictionaries, List<Match> into)
    {
        var found = new List<DictionaryMatch>();
        foreach (var map in Substitutions(password))
        {
            var marked = new bool[password.Length];
            var any = false;
            for (var p = 0; p < password.Length; p++) any |= marked[p] = map.ContainsKey(password[p]);
            if (!any) continue; // no token could hold a substitution
            var substituted = string.Create(password.Length, (password, map), static (span, s) =>
            {
                for (var p = 0; p < span.Length; p++) span[p] = s.map.TryGetValue(s.password[p], out var letter) ? letter : s.password[p];
            });
            var lower = substituted.ToLower();
            foreach (var dictionary in dictionaries)
            {
                found.Clear();
                dictionary.Match(substituted, lower, marked, found);
                foreach (var m in found)
                {
                    var token = password.Substring(m.i, m.j - m.i + 1);
                    var used = map.Where(kv => token.Contains(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value);
                    var match = new L33tDictionaryMatch(m) { Token = token, Subs = used };
                    AddL33tEntropy(match);
                    into.Add(match);
                }
            }
        }
    }

    /// <summary>As zxcvbn-core computes it, operation for operation.</summary>
    private static void AddL33tEntropy(L33tDictionaryMatch match)
    {
        var possibilities = 0;
        foreach (var (sub, letter) in match.Subs)
        {
            var subbed = match.Token.Count(c => c == sub);
            var unsubbed = match.Token.Count(c => c == letter);
            possibilities += Enumerable.Range(0, Math.Min(subbed, unsubbed) + 1).Sum(i => (int)ZxcvbnScoring.Binomial(subbed + unsubbed, i));
        }
        var entropy = Math.Log(possibilities, 2.0);
        match.L33tEntropy = entropy < 1.0 ? 1.0 : entropy;
        match.Entropy += match.L33tEntropy;
        match.Entropy -= match.UppercaseEntropy;
        match.UppercaseEntropy = ZxcvbnScoring.UppercaseEntropy(match.Token);
        match.Entropy += match.UppercaseEntropy;
    }

    /// <summary>
    /// zxcvbn-core's enumeration of substitution maps (character → letter) over the substitutions present in the
    /// password, kept as it is (including how it extends maps in place), since it decides which variants are searched.
    /// </summary>
    private static List<Dictionary<char, char>> Substitutions(string password)
    {
        var maps = new List<Dictionary<char, char>> { new() };
        foreach (var (letter, subs) in L33tTable)
        {
            foreach (var sub in subs)
            {
                if (!password.Contains(sub)) continue;
                var added = new List<Dictionary<char, char>>();
                foreach (var map in maps)
                {
                    if (map.ContainsKey(sub))
                    {
                        var copy = new Dictionary<char, char>(map) { [sub] = letter };
                        added.Add(copy);
                    }
                    else
                    {
                        map[sub] = letter;
                    }
                }
                maps.AddRange(added);
            }
        }
        return maps;
    }
}
