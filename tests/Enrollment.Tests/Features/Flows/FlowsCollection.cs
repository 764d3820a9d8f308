using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Flows;

/// <summary>The tests of the flow slices share one app, one test at a time, as when they were two classes of one app each: every test arranges its own flow under a slug of its own.</summary>
[CollectionDefinition(Name)]
public sealed class FlowsCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Flows";
}
