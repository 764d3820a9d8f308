namespace Enrollment.Tests.Fuzz;

/// <summary>Where the fuzz is, for failure messages: the test, the seed, the round, the request, and how to run it again.</summary>
public sealed record FuzzTrace(string Test, int Seed, int Round, int Request)
{
    public override string ToString() =>
        $"{Test}, seed {Seed}, round {Round}, request {Request} (run again: {FuzzSeeds.SeedVariable}={Seed} {FuzzSeeds.RoundsVariable}={Round + 1} "
        + $"dotnet test tests/Enrollment.Tests --filter FullyQualifiedName~{Test})";
}
