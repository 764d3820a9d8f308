using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.FlowInstances;

/// <summary>The tests of <c>/api/v3/flows/instances/</c> share one app, one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class FlowInstancesApiCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Api flow instances";
}
