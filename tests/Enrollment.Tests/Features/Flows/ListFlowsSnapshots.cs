using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Snapshots;
using Snapshooter.Xunit;

namespace Enrollment.Tests.Features.Flows;

/// <summary>The flows list over the data of <see cref="ArrangedAdmin"/>.</summary>
[Collection(ArrangedAdmin.Name)]
public sealed class ListFlowsSnapshots(Hosts.WithoutDefaultBlueprints app)
{
    [Fact]
    public async Task Flows_list_with_two_flows()
    {
        await ArrangedAdmin.ArrangeAsync(app);
        using var client = await app.AdminClientAsync();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, "/if/admin/flows/"));
    }
}
