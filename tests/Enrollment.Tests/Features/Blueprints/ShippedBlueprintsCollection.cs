using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Blueprints;

/// <summary>The tests of the blueprint pages share one app whose blueprint folder holds the tests' files (<see cref="Hosts.WithShippedBlueprints"/>), one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class ShippedBlueprintsCollection : ICollectionFixture<Hosts.WithShippedBlueprints>
{
    public const string Name = "Blueprints pages";
}
