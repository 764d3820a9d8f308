using System.Net;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>The create form's groups (checkboxes), email address and email domains (without JavaScript), and the invitation page showing them.</summary>
/// <remarks>A host of its own: the groups it adds would show on the form snapshot of the other invitation tests.</remarks>
public sealed class CreateInvitationBindingTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Url = "/if/admin/invitations/new/";

    [Fact]
    public async Task Admin_creates_an_invitation_with_groups_an_address_and_domains_and_sees_them()
    {
        await app.FlowAsync("inv-bind", withInvitationStage: true);
        var (red, blue) = (await GroupAsync(app, "inv-bind-red"), await GroupAsync(app, "inv-bind-blue"));
        using var client = await app.AdminClientAsync();

        var form = await client.GetPageAsync(Url);
        var boxes = form.QuerySelectorAll("input[type=checkbox][name='Input.Groups']").Select(b => b.GetAttribute("value")).ToList();
        Assert.Contains(red.Id.ToString(), boxes);
        Assert.Contains(blue.Id.ToString(), boxes);

        var response = await client.PostFormAsync(Url, ("Input.Name", "bind-team"), ("Input.FlowSlug", "inv-bind"),
            ("Input.Groups", red.Id.ToString()), ("Input.Groups", blue.Id.ToString()),
            ("Input.Email", "ann@eu.example.com"), ("Input.EmailDomains", "example.com,\nExample.org"));
        response.AssertRedirect("/if/admin/invitations/");

        var invitation = await app.DbAsync(db => db.Invitations.AsNoTracking().Include(i => i.Groups).SingleAsync(i => i.Name == "bind-team"));
        Assert.Equal(new[] { red.Id, blue.Id }.Order(), invitation.Groups.Select(g => g.GroupId).Order());
        Assert.Equal("ann@eu.example.com", invitation.Email);
        Assert.Equal(["example.com", "example.org"], invitation.EmailDomains);
        var created = await app.DbAsync(async db => (await db.Events.AsNoTracking().Where(e => e.Action == "invitation_created").ToListAsync())
            .Single(e => e.Context.ToJsonString().Contains(invitation.Id.ToString())));
        Assert.Equal("ann@eu.example.com", (string?)created.Context["email"]);

        var details = await client.GetPageAsync(response.Headers.Location!.OriginalString);
        var text = details.QuerySelector("main")!.TextContent;
        Assert.Contains("inv-bind-blue, inv-bind-red", text);
        Assert.Contains("ann@eu.example.com", text);
        Assert.Contains("example.com, example.org (and their subdomains)", text);
        Assert.Empty(details.QuerySelectorAll(".warning"));

        // A group deleted later: the page says it is skipped.
        await app.DbAsync(db => db.Groups.Where(g => g.Id == red.Id).ExecuteDeleteAsync());
        details = await client.GetPageAsync(response.Headers.Location!.OriginalString);
        Assert.Contains(details.QuerySelectorAll(".warning"), w => w.TextContent.Contains(red.Id.ToString()) && w.TextContent.Contains("not added"));
    }

    [Fact]
    public async Task Unknown_groups_bad_addresses_and_bad_domains_are_form_errors_and_nothing_is_saved()
    {
        await app.FlowAsync("inv-bind-bad", withInvitationStage: true);
        var kept = await GroupAsync(app, "inv-bind-bad-kept");
        using var client = await app.AdminClientAsync();
        var before = await app.DbAsync(db => db.Invitations.CountAsync());

        var response = await client.PostFormAsync(Url, ("Input.Name", "bind-bad"), ("Input.FlowSlug", "inv-bind-bad"),
            ("Input.Groups", kept.Id.ToString()), ("Input.Groups", Guid.NewGuid().ToString()),
            ("Input.Email", "not an address"), ("Input.EmailDomains", "example.com, @example.org"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("A chosen group does not exist (any more). Choose existing groups.", page.QuerySelector("[data-valmsg-for='Input.Groups']")?.TextContent.Trim());
        Assert.Equal("Enter a valid email address, like jane@example.com.", page.QuerySelector("[data-valmsg-for='Input.Email']")?.TextContent.Trim());
        Assert.Contains("enter only the part after the @", page.QuerySelector("[data-valmsg-for='Input.EmailDomains']")?.TextContent);
        // What was entered is kept.
        Assert.NotNull(page.QuerySelector($"input[name='Input.Groups'][value='{kept.Id}'][checked]"));
        Assert.Equal("example.com, @example.org", page.QuerySelector("textarea[name='Input.EmailDomains']")?.TextContent.Trim());
        Assert.Equal(before, await app.DbAsync(db => db.Invitations.CountAsync()));

        var outside = await TestClient.ParseAsync(await client.PostFormAsync(Url, ("Input.Name", "bind-bad"), ("Input.FlowSlug", "inv-bind-bad"),
            ("Input.Email", "ann@example.net"), ("Input.EmailDomains", "example.com")));
        Assert.Contains("not in any of the invitation's email domains", outside.QuerySelector("[data-valmsg-for='Input.Email']")?.TextContent);
        Assert.Equal(before, await app.DbAsync(db => db.Invitations.CountAsync()));
    }
}
