using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Groups;

/// <summary>The tests of the group slices share one app, one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class GroupsCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Groups";
}
