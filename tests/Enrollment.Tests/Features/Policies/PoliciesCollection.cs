using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Policies;

/// <summary>The tests of the policy slices share one app, one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class PoliciesCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Policies";
}
