using System.Net;
using Enrollment.Tests.Features.Api;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Features.Api.Invitations.InvitationsApiClient;

namespace Enrollment.Tests.Features.Invitations.WritePath;

/// <summary>
/// Writes to an invitation the expiry job deletes at the same moment: the write finds it gone and says so (404), the
/// same for the API and the admin page, instead of failing with a 500.
/// </summary>
public sealed class ConcurrentRemovalTests(Hosts.WithConcurrentRemoval app) : IClassFixture<Hosts.WithConcurrentRemoval>
{
    [Fact]
    public async Task An_api_delete_of_an_invitation_removed_meanwhile_is_a_404_and_records_nothing()
    {
        var invitation = await app.AddInvitationAsync(ApiJsonClient.Unique("race-api"));
        using var client = app.ApiClient();

        app.RemoveBeforeSaving = invitation.Id;
        var body = await client.SendJsonAsync(HttpMethod.Delete, $"{List}{invitation.Id}/", null, HttpStatusCode.NotFound);

        Assert.Null(app.RemoveBeforeSaving); // the removal did run between the lookup and the save
        Assert.Equal("""{"detail":"Not found."}""", body.ToJsonString());
        Assert.Null(await app.FindInvitationAsync(invitation.Id));
        Assert.Empty(await app.EventsAboutAsync("invitation_deleted", invitation.Id));
    }

    [Fact]
    public async Task A_revoke_on_the_admin_page_of_an_invitation_removed_meanwhile_is_a_404_and_records_nothing()
    {
        var invitation = await app.AddInvitationAsync(ApiJsonClient.Unique("race-page"));
        using var client = await app.AdminClientAsync();

        app.RemoveBeforeSaving = invitation.Id;
        var response = await client.PostFormAsync($"/if/admin/invitations/{invitation.Id}/delete/");

        Assert.Null(app.RemoveBeforeSaving);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await app.EventsAboutAsync("invitation_deleted", invitation.Id));
    }

    [Fact]
    public async Task An_api_update_of_an_invitation_removed_meanwhile_is_a_404_and_records_nothing()
    {
        var invitation = await app.AddInvitationAsync(ApiJsonClient.Unique("race-patch"));
        using var client = app.ApiClient();

        app.RemoveBeforeSaving = invitation.Id;
        var body = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{invitation.Id}/", """{"single_use":true}""", HttpStatusCode.NotFound);

        Assert.Null(app.RemoveBeforeSaving);
        Assert.Equal("""{"detail":"Not found."}""", body.ToJsonString());
        Assert.Empty(await app.EventsAboutAsync("model_updated", invitation.Id));
    }
}
