using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Snapshots;
using Snapshooter.Xunit;

namespace Enrollment.Tests.Features.Flows;

/// <summary>A flow's stage bindings over the data of <see cref="ArrangedAdmin"/>.</summary>
[Collection(ArrangedAdmin.Name)]
public sealed class FlowBindingsSnapshots(Hosts.WithoutDefaultBlueprints app)
{
    [Fact]
    public async Task Flow_stage_bindings_with_two_stages()
    {
        await ArrangedAdmin.ArrangeAsync(app);
        using var client = await app.AdminClientAsync();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, "/if/admin/flows/alpha-enrollment/bindings/"));
    }
}
