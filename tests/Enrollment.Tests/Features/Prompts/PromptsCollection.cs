using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Prompts;

/// <summary>The tests of the prompt slices share one app, one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class PromptsCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Prompts";
}
