using Enrollment.Domain;
using Enrollment.Tests.Kit;
using static Enrollment.Tests.Kit.FlowKit;
using static Enrollment.Tests.Kit.InvitationPages;

namespace Enrollment.Tests.Features.Invitations;

/// <summary><c>/if/admin/invitations/</c>, the list of invitations and its search.</summary>
[Collection(InvitationsCollection.Name)]
public sealed class ListInvitationsTests(Hosts.Default app)
{
    [Fact]
    public async Task Htmx_search_gets_only_the_rows_fragment()
    {
        using var client = await app.AdminClientAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/if/admin/invitations/?q=zzz-nothing");
        request.Headers.Add("HX-Request", "true");
        var response = await client.Http.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("<div id=\"invitation-rows\">", html.Trim());
        Assert.DoesNotContain("<html", html);
        Assert.Contains("HX-Request", response.Headers.Vary);
    }
}
