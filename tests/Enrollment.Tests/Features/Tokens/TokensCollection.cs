using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Tokens;

/// <summary>The tests of the token slices share one app, one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class TokensCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Tokens";
}
