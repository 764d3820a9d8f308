using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Flows;

/// <summary>The tests of the flow slices share one app and run one at a time (they were two classes with an app each); every test arranges its own flow under a slug of its own.</summary>
[CollectionDefinition(Name)]
public sealed class FlowsCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Flows";
}
