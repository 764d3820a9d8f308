namespace Enrollment.Tests.Fuzz;

/// <summary>
/// The seeds and rounds the fuzz tests run. By default a fixed set of seeds, so every run sends the same requests (but
/// for the ids, keys and tokens the server hands out) and a failure can be replayed; <c>ENROLLMENT_FUZZ_SEED</c> (one seed, a comma-separated list, or <c>random</c>) and
/// <c>ENROLLMENT_FUZZ_ROUNDS</c> (rounds per seed) run other or more. Each seed is one test case, named with its seed.
/// </summary>
public static class FuzzSeeds
{
    public const string SeedVariable = "ENROLLMENT_FUZZ_SEED";
    public const string RoundsVariable = "ENROLLMENT_FUZZ_ROUNDS";

    /// <summary>Chosen once, never changed: a new seed finds new things, a fixed one keeps a fixed bug fixed.</summary>
    public static readonly int[] Default = [13, 4242, 20261];

    /// <summary>Rounds per seed by default: with each target's requests per round, a few hundred requests per target in all.</summary>
    public const int DefaultRounds = 4;

    public static TheoryData<int> Seeds
    {
        get
        {
            var data = new TheoryData<int>();
            foreach (var seed in Chosen()) data.Add(seed);
            return data;
        }
    }

    public static int Rounds =>
        int.TryParse(Environment.GetEnvironmentVariable(RoundsVariable), out var rounds) && rounds > 0 ? rounds : DefaultRounds;

    private static IEnumerable<int> Chosen()
    {
        var text = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.IsNullOrWhiteSpace(text)) return Default;
        if (text.Trim().Equals("random", StringComparison.OrdinalIgnoreCase)) return [Random.Shared.Next()];
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.TryParse(s, out var seed) ? seed : throw new InvalidOperationException($"{SeedVariable}: '{s}' is not a whole number."));
    }
}
