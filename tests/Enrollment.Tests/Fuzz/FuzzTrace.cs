namespace Enrollment.Tests.Fuzz;

/// <summary>Where the fuzz is, for failure messages: the seed (and how to run it again), the round, the request.</summary>
public sealed record FuzzTrace(string Target, int Seed, int Round, int Request)
{
    public override string ToString() =>
        $"{Target}, seed {Seed}, round {Round}, request {Request} (run again with {FuzzSeeds.SeedVariable}={Seed} {FuzzSeeds.RoundsVariable}={Round + 1})";
}
