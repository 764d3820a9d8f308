using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Features.Api.Invitations.InvitationsApiClient;

namespace Enrollment.Tests.Features.Api.Invitations;

/// <summary><c>GET /api/v3/stages/invitation/invitations/{pk}/</c>.</summary>
[Collection(ReadInvitationsApiCollection.Name)]
public sealed class RetrieveInvitationTests(Hosts.Default app)
{
    [Fact]
    public async Task Retrieves_one_invitation_and_404s_unknown_ones()
    {
        var p = ApiJsonClient.Unique("one");
        var flow = await app.FlowAsync($"{p}-flow");
        var invitation = await app.AddInvitationAsync($"{p}-inv", Jan1, flow, await app.AdminAsync());
        using var client = app.ApiClient();

        var body = await client.GetJsonAsync($"{List}{invitation.Id}/");
        Assert.Equal(invitation.Id.ToString(), (string?)body["pk"]);
        Assert.Equal($"{p}-inv", (string?)body["name"]);
        Assert.Equal("akadmin", (string?)body["created_by"]!["username"]);
        Assert.Equal($"{p}-flow", (string?)body["flow_obj"]!["slug"]);

        Assert.Equal("""{"detail":"Not found."}""", (await client.GetJsonAsync($"{List}{Guid.NewGuid()}/", HttpStatusCode.NotFound)).ToJsonString());
        Assert.Equal("""{"detail":"Not found."}""", (await client.GetJsonAsync($"{List}not-a-uuid/", HttpStatusCode.NotFound)).ToJsonString());
    }
}
