using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>The tests of creating, listing, showing and revoking invitations share one app and run one at a time (they were two classes with an app each); every test arranges its own flow and invitations.</summary>
[CollectionDefinition(Name)]
public sealed class InvitationsCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Invitations";
}
