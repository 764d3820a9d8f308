using System.Net;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Features.Api.Invitations.InvitationsApiClient;

namespace Enrollment.Tests.Features.Api.Invitations;

/// <summary><c>DELETE /api/v3/stages/invitation/invitations/{pk}/</c>.</summary>
[Collection(WriteInvitationsApiCollection.Name)]
public sealed class DeleteInvitationTests(Hosts.Default app)
{
    [Fact]
    public async Task Deletes_an_invitation_and_records_it()
    {
        var invitation = await app.AddInvitationAsync(ApiJsonClient.Unique("del"));
        using var client = app.ApiClient();

        var (status, body) = await client.SendJsonAsync(HttpMethod.Delete, $"{List}{invitation.Id}/", null);
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.Null(body);
        Assert.Null(await app.FindInvitationAsync(invitation.Id));
        var deleted = Assert.Single(await app.EventsAboutAsync("invitation_deleted", invitation.Id));
        Assert.Equal("akadmin", (string?)deleted.User["username"]);
        Assert.Equal(invitation.Name, (string?)deleted.Context["invitation"]!["name"]);

        var again = await client.SendJsonAsync(HttpMethod.Delete, $"{List}{invitation.Id}/", null, HttpStatusCode.NotFound);
        Assert.Equal("""{"detail":"Not found."}""", again.ToJsonString());
    }
}
