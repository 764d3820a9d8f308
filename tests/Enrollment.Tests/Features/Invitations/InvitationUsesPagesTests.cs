using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;
using static Enrollment.Tests.Kit.InvitationPages;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>
/// The admin's view of how invitations are used: max uses on the create form, uses and status in the list (with a
/// status filter), the record of each use and the funnel emailed → opened → enrolled on the invitation's page, and
/// the same funnel across all invitations on the list as a server-drawn chart.
/// </summary>
[Collection(InvitationsCollection.Name)]
public sealed class InvitationUsesPagesTests(Hosts.Default app)
{
    [Fact]
    public async Task The_create_form_takes_max_uses_and_refuses_a_bad_or_contradicting_one_next_to_the_field()
    {
        var setup = await GuideFlowAsync(app, "pg-max");
        using var admin = await app.AdminClientAsync();
        async Task<HttpResponseMessage> Create(string name, string maxUses, bool singleUse) =>
            await admin.PostFormAsync("/if/admin/invitations/new/", ("Input.Name", name), ("Input.FlowSlug", setup.Flow.Slug),
                ("Input.MaxUses", maxUses), ("Input.SingleUse", singleUse ? "true" : "false"));

        (await Create("pg-max-five", "5", false)).AssertRedirect("/if/admin/invitations/");
        (await Create("pg-max-single", "", true)).AssertRedirect("/if/admin/invitations/");
        (await Create("pg-max-none", "", false)).AssertRedirect("/if/admin/invitations/");
        var stored = await app.DbAsync(db => db.Invitations.Where(i => i.Name.StartsWith("pg-max-")).ToDictionaryAsync(i => i.Name, i => i.MaxUses));
        Assert.Equal(5, stored["pg-max-five"]);
        Assert.Equal(1, stored["pg-max-single"]);
        Assert.Null(stored["pg-max-none"]);

        foreach (var (value, single, message) in new[]
                 {
                     ("0", false, "An invitation admits at least one enrollment"),
                     ("lots", false, "Enter a whole number"),
                     ("4", true, "Single use is the same as max uses 1"),
                 })
        {
            var refused = await Create("pg-max-bad", value, single);
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var page = await TestClient.ParseAsync(refused);
            Assert.Contains(message, page.QuerySelector("[data-valmsg-for='Input.MaxUses']")!.TextContent);
            Assert.Equal(value, page.QuerySelector("input[name='Input.MaxUses']")!.GetAttribute("value"));
        }
        Assert.False(await app.DbAsync(db => db.Invitations.AnyAsync(i => i.Name == "pg-max-bad")));
    }

    [Fact]
    public async Task The_invitation_page_lists_each_use_and_its_funnel_and_the_list_shows_uses_status_and_the_overall_funnel()
    {
        var setup = await GuideFlowAsync(app, "pg-uses");
        var invitation = await setup.InviteAsync(app, "pg-uses-three", singleUse: false);
        await app.DbAsync(db => db.Invitations.Where(i => i.Id == invitation.Id).ExecuteUpdateAsync(s => s.SetProperty(i => i.MaxUses, 2)));
        var before = await AllFunnelAsync();
        // Three recipients emailed (one of them twice), one whose email failed.
        await app.DbAsync(db =>
        {
            foreach (var (email, state) in new[] { ("a@example.com", DeliveryState.Sent), ("a@example.com", DeliveryState.Sent), ("b@example.com", DeliveryState.Sent),
                         ("c@example.com", DeliveryState.Sent), ("d@example.com", DeliveryState.Failed) })
                db.InvitationDeliveries.Add(new InvitationDelivery { InvitationId = invitation.Id, Email = email, State = state, BaseUrl = "https://id.example.com" });
            return db.SaveChangesAsync();
        });
        // Three open the link, two enroll.
        var browsers = Enumerable.Range(0, 3).Select(_ => app.NewClient()).ToList();
        var pages = new List<AngleSharp.Html.Dom.IHtmlDocument>();
        foreach (var b in browsers) pages.Add(await b.GetPageAsync(setup.Link(invitation)));
        for (var n = 0; n < 2; n++)
            (await browsers[n].SubmitAsync(setup.Link(invitation), pages[n], Answers($"pg-uses-{n}"))).AssertRedirect("/if/user/");
        browsers.ForEach(b => b.Dispose());

        using var admin = await app.AdminClientAsync();
        var details = await admin.GetPageAsync(DetailsUrl(invitation.Id));
        var props = details.QuerySelector("dl.props")!.TextContent;
        Assert.Contains("Used up", props);
        Assert.Contains("Maxuses2", string.Concat(props.Where(c => !char.IsWhiteSpace(c))));
        var rows = details.QuerySelectorAll("#invitation-uses tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(["pg-uses-1", "pg-uses-0"], rows.Select(r => r[0]).ToList());
        Assert.All(rows, r => Assert.Matches(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$", r[1]));
        Assert.Contains(details.QuerySelectorAll(".warning"), w => w.TextContent.Contains("used 2 times, as many as it admits"));
        AssertFunnel(details, "funnel-invitation", emailed: 3, opened: 3, enrolled: 2);

        var list = await admin.GetPageAsync("/if/admin/invitations/?q=pg-uses-three");
        var cells = list.QuerySelectorAll("#invitation-rows tbody tr td").Select(c => c.TextContent.Trim()).ToList();
        Assert.StartsWith("2 / 2", cells[4]);
        Assert.Equal("Used up", cells[6]);
        AssertFunnel(list, "funnel-all", before.Emailed + 3, before.Opened + 3, before.Enrolled + 2);

        // The status filter, without JavaScript: a plain GET of the search form.
        var usedUp = await admin.GetPageAsync("/if/admin/invitations/?q=pg-uses&status=used_up");
        Assert.Single(usedUp.QuerySelectorAll("#invitation-rows tbody tr"));
        Assert.Equal("used_up", usedUp.QuerySelector("select[name=status] option[selected]")!.GetAttribute("value"));
        var active = await admin.GetPageAsync("/if/admin/invitations/?q=pg-uses&status=active");
        Assert.Contains("No invitation matches “pg-uses” with status active.", active.QuerySelector("#invitation-rows")!.TextContent);
        var any = await admin.GetPageAsync("/if/admin/invitations/?q=pg-uses&status=nonsense");
        Assert.Single(any.QuerySelectorAll("#invitation-rows tbody tr"));
    }

    private Task<(long Emailed, long Opened, long Enrolled)> AllFunnelAsync() => app.DbAsync(async db =>
    (
        (long)await db.InvitationDeliveries.Where(d => d.State == DeliveryState.Sent).Select(d => new { d.InvitationId, d.Email }).Distinct().CountAsync(),
        (long)await db.Invitations.SumAsync(i => i.Opens),
        (long)await db.Invitations.SumAsync(i => i.Uses)
    ));

    /// <summary>The chart is an image with a title and a description, and its numbers are text in it and in its caption.</summary>
    private static void AssertFunnel(AngleSharp.Html.Dom.IHtmlDocument page, string id, long emailed, long opened, long enrolled)
    {
        var svg = page.QuerySelector($"svg[aria-labelledby='{id}-title {id}-desc']");
        Assert.NotNull(svg);
        Assert.Equal("img", svg!.GetAttribute("role"));
        Assert.NotEmpty(page.GetElementById($"{id}-title")!.TextContent);
        var summary = $"Emailed {emailed:N0}, opened {opened:N0}, enrolled {enrolled:N0}.";
        Assert.Equal(summary, page.GetElementById($"{id}-desc")!.TextContent);
        Assert.Equal(summary, svg.ParentElement!.QuerySelector("figcaption")!.TextContent);
        var texts = svg.QuerySelectorAll("text").Select(t => t.TextContent).ToList();
        Assert.Equal(["Emailed", emailed.ToString("N0"), "Opened", opened.ToString("N0"), "Enrolled", enrolled.ToString("N0")], texts);
        Assert.Empty(svg.QuerySelectorAll("[style], script"));
    }
}
