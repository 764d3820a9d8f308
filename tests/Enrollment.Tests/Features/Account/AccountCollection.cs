using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Account;

/// <summary>The tests of signing in and out share one app, one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class AccountCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Account";
}
