using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.Groups;

/// <summary>The tests of <c>/api/v3/core/groups/</c> share one app, one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class GroupsApiCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Api groups";
}
