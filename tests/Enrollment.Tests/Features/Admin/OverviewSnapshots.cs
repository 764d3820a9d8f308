using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Snapshots;
using Snapshooter.Xunit;

namespace Enrollment.Tests.Features.Admin;

/// <summary>The admin interface on a database holding only what bootstrap made (the brand and akadmin).</summary>
public sealed class OverviewSnapshots(Hosts.WithoutDefaultBlueprints app) : IClassFixture<Hosts.WithoutDefaultBlueprints>
{
    [Fact]
    public async Task Admin_overview()
    {
        using var client = await app.AdminClientAsync();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, "/if/admin/"));
    }
}
