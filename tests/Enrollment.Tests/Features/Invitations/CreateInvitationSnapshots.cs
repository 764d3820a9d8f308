using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Snapshots;
using Snapshooter.Xunit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>The create-invitation form over the data of <see cref="ArrangedAdmin"/>.</summary>
[Collection(ArrangedAdmin.Name)]
public sealed class CreateInvitationSnapshots(Hosts.WithoutDefaultBlueprints app)
{
    [Fact]
    public async Task Create_invitation_form()
    {
        await ArrangedAdmin.ArrangeAsync(app);
        using var client = await app.AdminClientAsync();
        Snapshot.Match(await HtmlSnapshot.OfAsync(client, "/if/admin/invitations/new/"));
    }
}
