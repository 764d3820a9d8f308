using System.Net;
using Enrollment.Domain;
using Enrollment.Features.Invitations.Shared;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;
using static Enrollment.Tests.Kit.InvitationPages;

namespace Enrollment.Tests.Features.Invitations;

/// <summary><c>/if/admin/invitations/{id}/</c>: the warnings about the invitation's flow and expiry, its uses, and its link as a QR code.</summary>
[Collection(InvitationsCollection.Name)]
public sealed class InvitationDetailsTests(Hosts.Default app)
{
    [Fact]
    public async Task Details_warn_about_a_flow_without_invitation_stage_and_about_expiry()
    {
        var flow = await app.FlowAsync("inv-warn");
        var invitation = await InvitationAsync(app, "stale", flow.Id, singleUse: false, expires: DateTime.UtcNow.AddMinutes(-1));
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync($"/if/admin/invitations/{invitation.Id}/");
        var warnings = page.QuerySelectorAll(".warning").Select(w => w.TextContent).ToList();
        Assert.Contains(warnings, w => w.StartsWith("Its flow has no invitation stage bound"));
        Assert.Contains(warnings, w => w.StartsWith("This invitation has expired"));
        var list = await client.GetPageAsync("/if/admin/invitations/?q=stale");
        Assert.Contains("Expired", list.QuerySelector("#invitation-rows .badge")!.TextContent);
        await client.GetPageAsync($"/if/admin/invitations/{Guid.NewGuid()}/", HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_used_single_use_invitation_is_marked_used_up_with_its_uses()
    {
        var flow = await app.FlowAsync("inv-used", withInvitationStage: true);
        var invitation = new Invitation { Name = "spent", FlowId = flow.Id, SingleUse = true, Uses = 1, LastUsed = new DateTime(2030, 1, 2, 3, 4, 0, DateTimeKind.Utc) };
        await app.DbAsync(db => { db.Invitations.Add(invitation); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync($"/if/admin/invitations/{invitation.Id}/");
        Assert.Contains(page.QuerySelectorAll(".warning"), w => w.TextContent.StartsWith("This single-use invitation has been used"));
        Assert.Contains("1 (last 2030-01-02 03:04 UTC)", page.QuerySelector("dl.props")!.TextContent);
        var list = await client.GetPageAsync("/if/admin/invitations/?q=spent");
        Assert.Equal("Used up", list.QuerySelector("#invitation-rows .badge")!.TextContent.Trim());
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
}
