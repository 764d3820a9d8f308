using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;
using static Enrollment.Tests.Kit.InvitationPages;

namespace Enrollment.Tests.Features.Invitations;

/// <summary><c>/if/admin/invitations/{id}/delete/</c>: revoking from the details page, a list row or the confirmation page; the link stops working and the revocation is recorded.</summary>
[Collection(InvitationsCollection.Name)]
public sealed class DeleteInvitationTests(Hosts.Default app)
{
    private async Task<List<Event>> DeletedEventsAsync(Guid id) =>
        (await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "invitation_deleted").ToListAsync()))
        .Where(e => (string?)e.Context["invitation"]?["pk"] == id.ToString()).ToList();

    private async Task AssertRevokedAsync(GuideFlow setup, Invitation invitation, DateTime before)
    {
        Assert.False(await InvitationExistsAsync(app, invitation.Id));
        var e = Assert.Single(await DeletedEventsAsync(invitation.Id));
        Assert.Equal(invitation.Name, (string?)e.Context["invitation"]!["name"]);
        Assert.Equal("akadmin", (string?)e.User["username"]);
        Assert.NotNull((int?)e.User["pk"]);
        Assert.InRange(e.Created, before, DateTime.UtcNow.AddSeconds(1));

        // The link now reads as any link to no invitation.
        using var invitee = app.NewClient();
        AssertDenied(await invitee.GetPageAsync(setup.Link(invitation)), InvitationMessages.Unknown);
    }

    [Fact]
    public async Task Revoke_from_the_details_page_confirms_deletes_records_and_the_link_stops_working()
    {
        var setup = await GuideFlowAsync(app, "lc-revoke");
        var invitation = await setup.InviteAsync(app, "lc-revoke-me", singleUse: false);
        using var admin = await app.AdminClientAsync();

        // Revoke asks first: the details page links to the confirm page (a dialog with JavaScript), nothing posts from it.
        var details = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        var link = details.QuerySelector($"a[href='{DeleteUrl(invitation.Id)}'][data-confirm-dialog]");
        Assert.NotNull(link);
        Assert.Equal("Revoke", link!.TextContent.Trim());
        Assert.Null(details.QuerySelector($"form[action='{DeleteUrl(invitation.Id)}']"));

        var confirm = await admin.GetPageAsync(DeleteUrl(invitation.Id));
        Assert.Contains("lc-revoke-me", confirm.QuerySelector("h1")!.TextContent);
        Assert.Equal(DetailsUrl(invitation.Id), confirm.QuerySelector("main .card form a[data-cancel]")!.GetAttribute("href"));
        Assert.True(await InvitationExistsAsync(app, invitation.Id)); // GET only asks

        var before = DateTime.UtcNow.AddSeconds(-1);
        var response = await admin.PostFormAsync(DeleteUrl(invitation.Id));
        response.AssertRedirect("/if/admin/invitations/");
        await AssertRevokedAsync(setup, invitation, before);

        await admin.GetPageAsync(DetailsUrl(invitation.Id), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Revoke_from_a_list_row_goes_through_the_confirmation_page()
    {
        var setup = await GuideFlowAsync(app, "lc-list");
        var fromList = await setup.InviteAsync(app, "lc-list-row");
        var fromConfirm = await setup.InviteAsync(app, "lc-list-confirm");
        using var admin = await app.AdminClientAsync();
        var before = DateTime.UtcNow.AddSeconds(-1);

        var listUrl = "/if/admin/invitations/?q=lc-list-row";
        var list = await admin.GetPageAsync(listUrl);
        Assert.NotNull(list.QuerySelector($"#invitation-rows a[href='{DeleteUrl(fromList.Id)}'][data-confirm-dialog]"));
        Assert.Null(list.QuerySelector($"#invitation-rows form[action='{DeleteUrl(fromList.Id)}']")); // no one-click revoke
        (await admin.PostFormAsync(DeleteUrl(fromList.Id))).AssertRedirect("/if/admin/invitations/");
        await AssertRevokedAsync(setup, fromList, before);
        Assert.True(await InvitationExistsAsync(app, fromConfirm.Id)); // only that row

        (await admin.PostFormAsync(DeleteUrl(fromConfirm.Id))).AssertRedirect("/if/admin/invitations/");
        await AssertRevokedAsync(setup, fromConfirm, before);
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_revoking_needs_an_admin_and_a_token()
    {
        var setup = await GuideFlowAsync(app, "lc-guard");
        var invitation = await setup.InviteAsync(app, "lc-guarded");
        using var admin = await app.AdminClientAsync();
        var unknown = Guid.NewGuid();
        await admin.GetPageAsync(DeleteUrl(unknown), HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostFormAsync("/if/admin/invitations/", [], DeleteUrl(unknown))).StatusCode);

        // No antiforgery token: refused, nothing deleted.
        var forged = await admin.Http.PostAsync(DeleteUrl(invitation.Id), new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // Anonymous: sent to sign in, nothing deleted.
        using var anonymous = app.NewClient();
        var response = await anonymous.Http.GetAsync(DeleteUrl(invitation.Id));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
        Assert.True(await InvitationExistsAsync(app, invitation.Id));
        Assert.Empty(await DeletedEventsAsync(invitation.Id));
    }
}
