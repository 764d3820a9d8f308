using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>The tests of bulk invite and its run page share one app sending to a real SMTP server on loopback (<see cref="Hosts.WithSmtp"/>), one test at a time, as when they were one class.</summary>
[CollectionDefinition(Name)]
public sealed class BulkInviteCollection : ICollectionFixture<Hosts.WithSmtp>
{
    public const string Name = "Bulk invite";
}
