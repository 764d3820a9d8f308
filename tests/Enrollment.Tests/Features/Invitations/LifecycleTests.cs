using System.Net;
using Enrollment.Domain;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.FlowExecution.Stages;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>
/// An invitation's life after it is created: revoked by an admin (deleted, as in authentik), shown as a QR code,
/// and tied to its creator (kept when they are deactivated or lose admin rights, deleted with them).
/// </summary>
public sealed class LifecycleTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string CreatorPassword = "Creator-Passw0rd!";

    private static string DetailsUrl(Guid id) => $"/if/admin/invitations/{id}/";
    private static string DeleteUrl(Guid id) => $"/if/admin/invitations/{id}/delete/";

    private Task<bool> ExistsAsync(Guid id) => app.DbAsync(db => db.Invitations.AnyAsync(i => i.Id == id));

    private async Task<List<Event>> DeletedEventsAsync(Guid id) =>
        (await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "invitation_deleted").ToListAsync()))
        .Where(e => (string?)e.Context["invitation"]?["pk"] == id.ToString()).ToList();

    private async Task AssertRevokedAsync(GuideFlow setup, Invitation invitation, DateTime before)
    {
        Assert.False(await ExistsAsync(invitation.Id));
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

        var details = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        var button = details.QuerySelector($"form[action='{DeleteUrl(invitation.Id)}'] button[type=submit]");
        Assert.NotNull(button);
        Assert.Equal("Revoke", button!.TextContent.Trim());

        var confirm = await admin.GetPageAsync(DeleteUrl(invitation.Id));
        Assert.Contains("lc-revoke-me", confirm.QuerySelector("h1")!.TextContent);
        Assert.True(await ExistsAsync(invitation.Id)); // GET only asks

        var before = DateTime.UtcNow.AddSeconds(-1);
        // Posted with the token of the details page's own Revoke form (the helper refuses a form without one).
        var response = await admin.PostFormAsync(DetailsUrl(invitation.Id), [], DeleteUrl(invitation.Id));
        response.AssertRedirect("/if/admin/invitations/");
        await AssertRevokedAsync(setup, invitation, before);

        await admin.GetPageAsync(DetailsUrl(invitation.Id), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Revoke_from_a_list_row_and_from_the_confirmation_page()
    {
        var setup = await GuideFlowAsync(app, "lc-list");
        var fromList = await setup.InviteAsync(app, "lc-list-row");
        var fromConfirm = await setup.InviteAsync(app, "lc-list-confirm");
        using var admin = await app.AdminClientAsync();
        var before = DateTime.UtcNow.AddSeconds(-1);

        var listUrl = "/if/admin/invitations/?q=lc-list-row";
        var list = await admin.GetPageAsync(listUrl);
        Assert.NotNull(list.QuerySelector($"#invitation-rows form[action='{DeleteUrl(fromList.Id)}'] input[name=__RequestVerificationToken]"));
        (await admin.PostFormAsync(listUrl, [], DeleteUrl(fromList.Id))).AssertRedirect("/if/admin/invitations/");
        await AssertRevokedAsync(setup, fromList, before);
        Assert.True(await ExistsAsync(fromConfirm.Id)); // only that row

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
        Assert.True(await ExistsAsync(invitation.Id));
        Assert.Empty(await DeletedEventsAsync(invitation.Id));
    }

    [Fact]
    public async Task Details_show_the_link_as_an_inline_svg_qr_code_that_follows_the_link()
    {
        var setup = await GuideFlowAsync(app, "lc-qr");
        var one = await setup.InviteAsync(app, "lc-qr-one");
        var two = await setup.InviteAsync(app, "lc-qr-two");
        using var admin = await app.AdminClientAsync();

        async Task<string> QrOf(Guid id)
        {
            var page = await admin.GetPageAsync(DetailsUrl(id));
            var svg = page.QuerySelector("svg.qr-code");
            Assert.NotNull(svg);
            Assert.Equal("img", svg!.GetAttribute("role"));
            Assert.Equal(InvitationQrCode.Label, svg.GetAttribute("aria-label"));
            Assert.Equal("QR code of the invitation link", svg.GetAttribute("aria-label"));
            Assert.NotNull(svg.GetAttribute("viewBox"));
            // The content security policy forbids inline styles and scripts: the SVG carries neither.
            Assert.Empty(svg.QuerySelectorAll("[style], script"));
            Assert.Null(svg.GetAttribute("style"));
            return svg.OuterHtml;
        }

        var qrOne = await QrOf(one.Id);
        Assert.Equal(qrOne, await QrOf(one.Id)); // deterministic
        Assert.NotEqual(qrOne, await QrOf(two.Id)); // another link, another code
        // And it is the code of the very link shown above it: the dark modules the SVG draws are exactly those of
        // a QR code of that link (QRCoder's matrix, quiet zone included), and not those of a slightly different link.
        var link = $"http://localhost{setup.Link(one)}";
        Assert.Equal(link, (await admin.GetPageAsync(DetailsUrl(one.Id))).QuerySelector("#invitation-link")!.GetAttribute("value"));
        var drawn = DarkModules(qrOne);
        Assert.Equal(Matrix(link), drawn);
        Assert.NotEqual(Matrix(link + "x"), drawn);
    }

    /// <summary>The cells the SVG's path fills; QRCoder draws each run of dark modules as <c>M{x} {y}h{w}v1h-{w}z</c>.</summary>
    private static SortedSet<(int X, int Y)> DarkModules(string svgHtml)
    {
        var svg = new AngleSharp.Html.Parser.HtmlParser().ParseDocument($"<body>{svgHtml}</body>").QuerySelector("svg")!;
        var cells = new SortedSet<(int, int)>();
        foreach (var path in svg.QuerySelectorAll("path").Where(p => p.GetAttribute("fill") == "#000000"))
            foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(path.GetAttribute("d")!, @"M(\d+) (\d+)h(\d+)v1h-\3z"))
            {
                int x = int.Parse(m.Groups[1].Value), y = int.Parse(m.Groups[2].Value), w = int.Parse(m.Groups[3].Value);
                for (var i = 0; i < w; i++) cells.Add((x + i, y));
            }
        Assert.NotEmpty(cells);
        return cells;
    }

    private static SortedSet<(int X, int Y)> Matrix(string text)
    {
        using var generator = new QRCoder.QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCoder.QRCodeGenerator.ECCLevel.M);
        var cells = new SortedSet<(int, int)>();
        for (var y = 0; y < data.ModuleMatrix.Count; y++)
            for (var x = 0; x < data.ModuleMatrix[y].Count; x++)
                if (data.ModuleMatrix[y][x]) cells.Add((x, y));
        return cells;
    }

    // ---- the creator ----

    private async Task<int> CreateAdminAsync(string username)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var db = scope.ServiceProvider.GetRequiredService<Enrollment.Infrastructure.Data.AppDbContext>();
        var user = new User { UserName = username, Name = $"{username} Person", Email = $"{username}@example.com" };
        user.Groups.Add(await db.Groups.SingleAsync(g => g.Name == Bootstrap.AdminGroup));
        var result = await users.CreateAsync(user, CreatorPassword);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    /// <summary>A second admin signs in and creates an invitation through the form, so it is theirs.</summary>
    private async Task<(GuideFlow Setup, Invitation Invitation, int CreatorId)> InvitationByCreatorAsync(string slug)
    {
        var setup = await GuideFlowAsync(app, slug);
        var creatorId = await CreateAdminAsync($"{slug}-creator");
        using var creator = app.NewClient();
        await creator.LoginAsync($"{slug}-creator", CreatorPassword);
        var response = await creator.PostFormAsync("/if/admin/invitations/new/", ("Input.Name", $"{slug}-inv"), ("Input.FlowSlug", slug));
        response.AssertRedirect("/if/admin/invitations/");
        var invitation = await app.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Name == $"{slug}-inv"));
        Assert.Equal(creatorId, invitation.CreatedById);
        return (setup, invitation, creatorId);
    }

    [Fact]
    public async Task An_invitation_stays_valid_when_its_creator_is_deactivated()
    {
        var (setup, invitation, creatorId) = await InvitationByCreatorAsync("lc-deact");
        using var admin = await app.AdminClientAsync();
        (await admin.PostFormAsync($"/if/admin/users/{creatorId}/deactivate/")).AssertRedirect($"/if/admin/users/{creatorId}/");
        Assert.False(await app.DbAsync(db => db.Users.Where(u => u.Id == creatorId).Select(u => u.IsActive).SingleAsync()));

        Assert.True(await ExistsAsync(invitation.Id));
        using var invitee = app.NewClient();
        await invitee.EnrollToTheEndAsync(setup.Link(invitation), Answers("lc-deact-invitee"));
        Assert.NotNull(await UserAsync(app, "lc-deact-invitee"));
    }

    [Fact]
    public async Task An_invitation_stays_valid_when_its_creator_loses_admin_rights()
    {
        var (setup, invitation, creatorId) = await InvitationByCreatorAsync("lc-demote");
        await app.DbAsync(async db =>
        {
            var creator = await db.Users.Include(u => u.Groups).SingleAsync(u => u.Id == creatorId);
            creator.Groups.Clear();
            await db.SaveChangesAsync();
        });
        // The creator is no admin any more…
        using var creatorClient = app.NewClient();
        await creatorClient.LoginAsync("lc-demote-creator", CreatorPassword);
        var adminPage = await creatorClient.Http.GetAsync("/if/admin/invitations/");
        Assert.NotEqual(HttpStatusCode.OK, adminPage.StatusCode);

        // …and their invitation still works.
        using var invitee = app.NewClient();
        await invitee.EnrollToTheEndAsync(setup.Link(invitation), Answers("lc-demote-invitee"));
        Assert.NotNull(await UserAsync(app, "lc-demote-invitee"));
    }

    [Fact]
    public async Task An_invitation_is_deleted_with_its_creator()
    {
        var (setup, invitation, creatorId) = await InvitationByCreatorAsync("lc-gone");
        var other = await setup.InviteAsync(app, "lc-gone-not-theirs");
        using var admin = await app.AdminClientAsync();

        var confirm = await admin.GetPageAsync($"/if/admin/users/{creatorId}/delete/");
        Assert.Contains("1 invitation(s) they created", confirm.QuerySelector(".card")!.TextContent);
        (await admin.PostFormAsync($"/if/admin/users/{creatorId}/delete/")).AssertRedirect("/if/admin/users/");

        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.Id == creatorId)));
        Assert.False(await ExistsAsync(invitation.Id));
        Assert.True(await ExistsAsync(other.Id)); // created by nobody: untouched
        using var invitee = app.NewClient();
        AssertDenied(await invitee.GetPageAsync(setup.Link(invitation)), InvitationMessages.Unknown);
    }
}
