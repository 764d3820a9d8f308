using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Users;

/// <summary>The tests of the user slices share one app, one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class UsersCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Users";
}
