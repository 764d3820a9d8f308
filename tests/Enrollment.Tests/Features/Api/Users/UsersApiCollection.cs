using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.Users;

/// <summary>The tests of <c>/api/v3/core/users/</c> share one app, one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class UsersApiCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Api users";
}
