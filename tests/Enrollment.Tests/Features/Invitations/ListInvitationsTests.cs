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

    [Fact]
    public async Task Each_name_links_to_the_invitations_page()
    {
        var setup = await GuideFlowAsync(app, "list-names");
        var invitation = await setup.InviteAsync(app, "list-names-linked");
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync("/if/admin/invitations/?q=list-names-linked");
        var link = page.QuerySelector("#invitation-rows tbody tr td a.row-title")!;
        Assert.Equal("list-names-linked", link.TextContent.Trim());
        Assert.Equal(DetailsUrl(invitation.Id), link.GetAttribute("href"));
    }
}
