using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>The tests of sending and resending an invitation by email share one app without a Hangfire server (what is queued stays queued), one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class SendInvitationCollection : ICollectionFixture<Hosts.Default>
{
    public const string Name = "Send invitation";
}
