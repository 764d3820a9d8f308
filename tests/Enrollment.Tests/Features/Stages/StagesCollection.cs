using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Stages;

/// <summary>The tests of the stage pages, generic and per kind, share one app and run one at a time (they were two classes with an app each); every test arranges stages under names of its own.</summary>
[CollectionDefinition(Name)]
public sealed class StagesCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Stages";
}
