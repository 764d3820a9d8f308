using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Snapshots;
using Snapshooter.Xunit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>An invitation's page (its link, QR code, send form and deliveries) over the data of <see cref="ArrangedAdmin"/>.</summary>
[Collection(ArrangedAdmin.Name)]
public sealed class InvitationDetailsSnapshots(Hosts.WithoutDefaultBlueprints app)
{
    [Fact]
    public async Task Invitation_details()
    {
        var id = await ArrangedAdmin.ArrangeAsync(app);
        using var client = await app.AdminClientAsync();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, $"/if/admin/invitations/{id}/"));
    }
}
