using Enrollment.Infrastructure.Passwords;
using Zxcvbn.Matcher;

namespace Enrollment.Tests.Infrastructure.Passwords;

/// <summary>
/// The strength estimate gives zxcvbn-core's own answer — score, entropy and the matched patterns — for a corpus of
/// several hundred passwords (common ones and their variations, l33t, names, dates, keyboard walks, sequences,
/// repeats, random strings, other scripts, the person's own details), while building its word lists only once.
/// </summary>
public sealed class PasswordStrengthTests
{
    private static readonly string[] UserInputs = ["jdoe-42", "jane doe", "jane.doe@example.com"];

    /// <summary>The package as it ships: its default matchers (the same as its static MatchPassword builds on each call).</summary>
    private static readonly Zxcvbn.Zxcvbn Package = new();

    private static readonly Zxcvbn.Zxcvbn Ours = new(new ZxcvbnMatchers());

    public static TheoryData<int> Chunks() => [.. Enumerable.Range(0, 8)];

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Scores_entropy_and_matches_are_the_package_s_own(int chunk)
    {
        var corpus = Corpus();
        Assert.True(corpus.Count >= 400, $"corpus of {corpus.Count}");
        foreach (var password in corpus.Where((_, i) => i % 8 == chunk))
        {
            foreach (var inputs in new[] { [], UserInputs })
            {
                var expected = Package.EvaluatePassword(password, inputs);
                var actual = Ours.EvaluatePassword(password, inputs);
                Assert.True(expected.Score == actual.Score, $"{password}: score {actual.Score}, the package's {expected.Score}");
                Assert.True(expected.Entropy == actual.Entropy, $"{password}: entropy {actual.Entropy}, the package's {expected.Entropy}");
                Assert.Equal(Describe(expected), Describe(actual));
            }
        }
    }

    [Theory]
    [InlineData("Password1!", 0)]
    [InlineData("password", 0)]
    [InlineData("p@ssw0rd", 0)]
    [InlineData("correct horse battery staple", 4)]
    [InlineData("Bench-Tulip-Glacier-58!", 4)]
    public void Known_passwords_get_their_known_scores_as_from_the_package_s_entry_point(string password, int score)
    {
        Assert.Equal(score, Zxcvbn.Zxcvbn.MatchPassword(password).Score);
        Assert.Equal(score, PasswordStrength.Estimate(password).Score);
    }

    [Fact]
    public void A_user_s_own_details_make_a_password_weaker_as_in_the_package()
    {
        const string password = "jane.doe@example.com7";
        var without = PasswordStrength.Estimate(password).Score;
        var with = PasswordStrength.Estimate(password, UserInputs).Score;
        Assert.Equal(Zxcvbn.Zxcvbn.MatchPassword(password, UserInputs.Select(u => u.ToLowerInvariant())).Score, with);
        Assert.True(with < without, $"{with} < {without}");
    }

    [Fact]
    public void An_estimate_does_not_rebuild_the_word_lists()
    {
        PasswordStrength.Estimate("warm-up: builds the lists once");
        var before = GC.GetAllocatedBytesForCurrentThread();
        var score = PasswordStrength.Estimate("Bench-Tulip-Glacier-58!", UserInputs).Score;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(4, score);
        // The package's entry point allocates tens of MB per call building ~85,000 words into dictionaries.
        Assert.True(allocated < 1_000_000, $"{allocated:N0} bytes allocated by one estimate");
    }

    private static List<string> Describe(Zxcvbn.Result result) =>
        [.. result.MatchSequence.Select(m => $"{m.Pattern} {m.i}-{m.j} '{m.Token}' {m.Entropy:R}" + (m is DictionaryMatch d ? $" {d.DictionaryName} #{d.Rank} {d.MatchedWord}" : "") + (m is L33tDictionaryMatch l ? " " + string.Join(",", l.Subs.OrderBy(s => s.Key).Select(s => $"{s.Key}{s.Value}")) : ""))];

    /// <summary>Several hundred passwords, the same each run.</summary>
    private static List<string> Corpus()
    {
        var common = Words("passwords.lst").Take(60).ToList();
        var english = Words("english.lst").Where((_, i) => i % 97 == 0).Take(40).ToList();
        var names = Words("female_names.lst").Take(15).Concat(Words("surnames.lst").Take(15)).Concat(Words("us_tv_and_film.lst").Take(10)).ToList();
        var corpus = new List<string>
        {
            "", "a", "Password1!", "correct horse battery staple", "Tr0ub4dor&3", "qwertyuiop", "1qaz2wsx", "zxcvbnm,./",
            "asdfghjkl;", "abcdefgh", "ZYXWVUTS", "9876543210", "aaaaaaaa", "11111111", "!!!!!!!!", "12/05/1987", "1987-05-12",
            "05121987", "3.7.2015", "19871205", "p@$$w0rd", "P4$$w0rd!", "l3tm31n", "|1ll1|", "7r0ub4d0r", "(@7(h3r",
            "$up3rm4n", "b4tm4n!!", "h4ck3r2019", "Bench-Tulip-Glacier-58!", "pässwörd", "пароль123", "密码密码密码", "😀😀😀😀passw0rd",
            "jdoe-42", "JaneDoe1985", "jane.doe@example.com", "j4n3d03!", "doejane2020", "tab\tseparated", "new\nline Word",
            new string('x', 120), string.Concat(Enumerable.Repeat("Correct-Horse-", 8)),
        };
        foreach (var w in common)
        {
            corpus.Add(w);
            corpus.Add(Capitalised(w) + "1!");
            corpus.Add(L33t(w));
        }
        foreach (var w in english)
        {
            corpus.Add(w + "2019");
            corpus.Add(w.ToUpperInvariant());
        }
        foreach (var w in names) corpus.Add(Capitalised(w) + "_" + w.Length * 7);
        var random = new Random(17);
        for (var i = 0; i < english.Count - 1; i++) corpus.Add($"{english[i]}-{english[i + 1]}-{random.Next(10, 99)}");
        const string alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_=+[]{};:,.<>/?|~ ";
        for (var i = 0; i < 80; i++)
            corpus.Add(new string([.. Enumerable.Range(0, random.Next(6, 28)).Select(_ => alphabet[random.Next(alphabet.Length)])]));
        return corpus;
    }

    private static string Capitalised(string w) => w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..];

    private static string L33t(string w) => w.Replace('a', '4').Replace('e', '3').Replace('o', '0').Replace('s', '$').Replace('i', '!').Replace('t', '7');

    private static IEnumerable<string> Words(string file)
    {
        using var stream = typeof(Zxcvbn.Zxcvbn).Assembly.GetManifestResourceStream($"zxcvbn-core.Dictionaries.{file}")!;
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        while (reader.ReadLine() is { } line) words.Add(line);
        return words;
    }
}
