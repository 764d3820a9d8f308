using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.Invitations;

/// <summary>The tests that write <c>/api/v3/stages/invitation/invitations/</c> share one app, one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class WriteInvitationsApiCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Api invitations write";
}
