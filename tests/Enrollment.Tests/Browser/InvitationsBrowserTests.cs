using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Enrollment.Tests.Kit.Browser.BrowserKit;
using static Enrollment.Tests.Kit.FlowKit;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>The invitation pages in a real Chromium, with JavaScript (htmx, copy buttons) and without.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InvitationsBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private const string Yaml = "email: jane@example.com\nattributes:\n  department: Engineering\n  level: 3\n";

    private static ILocator CreateButton(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true });

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Admin_signs_in_and_creates_an_invitation_filling_every_field(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var slug = $"browser-create-{Mode(javaScript)}";
        var name = $"engineering-{Mode(javaScript)}";
        await fixture.App.FlowAsync(slug, withInvitationStage: true);

        await session.SignInAsAdminAsync();
        await page.GotoAsync("/if/admin/invitations/new/");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Expires (UTC)").FillAsync("2099-01-31T17:30");
        await page.GetByLabel("Flow", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = $"Flow {slug} ({slug})" });
        await page.GetByLabel("Custom attributes").FillAsync(Yaml);
        await page.GetByLabel("Single use").CheckAsync();
        await CreateButton(page).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Invitation “{name}”", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "created" }))
            .ToHaveTextAsync($"Invitation “{name}” created. Share the link below.");

        var invitation = await fixture.App.DbAsync(db => db.Invitations.Include(i => i.Flow).Include(i => i.CreatedBy).SingleAsync(i => i.Name == name));
        Assert.Equal(slug, invitation.Flow!.Slug);
        Assert.Equal(new DateTime(2099, 1, 31, 17, 30, 0, DateTimeKind.Utc), invitation.Expires);
        Assert.True(invitation.SingleUse);
        Assert.Equal("akadmin", invitation.CreatedBy!.UserName);
        var expected = JsonNode.Parse("""{"email":"jane@example.com","attributes":{"department":"Engineering","level":3}}""");
        Assert.True(JsonNode.DeepEquals(expected, invitation.FixedData), invitation.FixedData.ToJsonString());

        var link = $"{fixture.App.Address}/if/flow/{slug}/?itoken={invitation.Id}";
        Assert.Matches(@"^http://127\.0\.0\.1:\d+/if/flow/[-a-z]+/\?itoken=[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", link);
        await Expect(page).ToHaveURLAsync($"{fixture.App.Address}/if/admin/invitations/{invitation.Id}/");
        var linkBox = page.Locator("#invitation-link");
        await Expect(linkBox).ToHaveValueAsync(link);
        await Expect(linkBox).Not.ToBeEditableAsync(); // readonly: to select and copy, not to change
        await Expect(page.GetByText("2099-01-31 17:30 UTC")).ToBeVisibleAsync();
        await Expect(page.Locator("dl.props").First).ToContainTextAsync("Single useYes");
        await Expect(page.Locator("pre")).ToContainTextAsync("\"department\": \"Engineering\"");
        await session.ScreenshotAsync($"invitation-created-{Mode(javaScript)}");

        var copy = page.GetByRole(AriaRole.Button, new() { Name = "Copy" });
        if (javaScript)
        {
            await Expect(copy).ToBeVisibleAsync();
            await copy.ClickAsync();
            await Expect(page.Locator("button[data-copy]")).ToHaveTextAsync("Copied");
            // Headless Chromium reads the clipboard once the context holds clipboard-read (checked here).
            Assert.Equal(link, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
            await Expect(page.Locator("button[data-copy]")).ToHaveTextAsync("Copy", new() { Timeout = 5_000 });
            session.AssertNoScriptErrors();
        }
        else
        {
            // Without JavaScript nothing could copy: the button stays hidden, the link is there to select.
            await Expect(page.Locator("button[data-copy]")).ToBeHiddenAsync();
            await Expect(linkBox).ToBeVisibleAsync();
        }
    }

    [SkippableFact]
    public async Task With_javascript_the_form_is_submitted_by_htmx_without_a_full_page_load()
    {
        await using var session = await fixture.OpenAsync(javaScript: true);
        var page = session.Page;
        await fixture.App.FlowAsync("browser-boost", withInvitationStage: true);
        await session.SignInAsAdminAsync();
        await page.GotoAsync("/if/admin/invitations/new/");
        await page.WaitForFunctionAsync("() => window.htmx !== undefined");

        await page.EvaluateAsync("() => { window.__marker = 1; }");
        var loads = 0;
        page.Load += (_, _) => loads++;
        var posts = new List<IRequest>();
        page.Request += (_, request) => { if (request.Method == "POST") posts.Add(request); };

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("boosted-one");
        await page.GetByLabel("Flow", new() { Exact = true }).SelectOptionAsync("browser-boost");
        await CreateButton(page).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invitation “boosted-one”", Level = 1 })).ToBeVisibleAsync();

        var id = await fixture.App.DbAsync(db => db.Invitations.Where(i => i.Name == "boosted-one").Select(i => i.Id).SingleAsync());
        await Expect(page).ToHaveURLAsync($"{fixture.App.Address}/if/admin/invitations/{id}/", new() { Timeout = 5_000 });
        await Expect(page.Locator("#invitation-link")).ToHaveValueAsync($"{fixture.App.Address}/if/flow/browser-boost/?itoken={id}");
        Assert.Equal(1, await page.EvaluateAsync<int?>("() => window.__marker ?? null"));
        Assert.Equal(0, loads);
        var post = Assert.Single(posts);
        var headers = await post.AllHeadersAsync();
        Assert.Equal("true", headers.GetValueOrDefault("hx-request"));
        Assert.Equal("true", headers.GetValueOrDefault("hx-boosted"));
        // htmx takes the new page's <title> too.
        Assert.StartsWith("boosted-one", await page.TitleAsync());
        session.AssertNoScriptErrors();
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Malformed_yaml_is_shown_next_to_the_field_and_the_form_keeps_what_was_entered(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var slug = $"browser-bad-{Mode(javaScript)}";
        var name = $"bad-yaml-{Mode(javaScript)}";
        await fixture.App.FlowAsync(slug, withInvitationStage: true);
        await session.SignInAsAdminAsync();
        await page.GotoAsync("/if/admin/invitations/new/");

        const string broken = "email: a@b.c\nattributes: [unclosed\n";
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Flow", new() { Exact = true }).SelectOptionAsync(slug);
        await page.GetByLabel("Custom attributes").FillAsync(broken);
        await CreateButton(page).ClickAsync();

        var error = FieldError(page, "Custom attributes");
        await Expect(error).ToBeVisibleAsync();
        await Expect(error).ToHaveTextAsync(new Regex(@"^\s*Line 2 \(end of the text\): "));
        await Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveValueAsync(name);
        await Expect(page.GetByLabel("Flow", new() { Exact = true })).ToHaveValueAsync(slug);
        await Expect(page.GetByLabel("Custom attributes")).ToHaveValueAsync(broken);
        await Expect(FieldError(page, "Name")).ToBeEmptyAsync();
        await Expect(page).ToHaveURLAsync($"{fixture.App.Address}/if/admin/invitations/new/");
        Assert.False(await fixture.App.DbAsync(db => db.Invitations.AnyAsync(i => i.Name == name)));
        if (javaScript) session.AssertNoScriptErrors();
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_list_filters_by_search_and_a_row_expands_to_the_link(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var mode = Mode(javaScript);
        var flow = await fixture.App.FlowAsync($"browser-list-{mode}", withInvitationStage: true);
        var alpha = new Invitation { Name = $"list-{mode}-alpha", FlowId = flow.Id };
        var beta = new Invitation { Name = $"list-{mode}-beta", FlowId = flow.Id };
        await fixture.App.DbAsync(db => { db.Invitations.AddRange(alpha, beta); return db.SaveChangesAsync(); });
        await session.SignInAsAdminAsync();
        await page.GotoAsync("/if/admin/invitations/");

        var rows = page.Locator("#invitation-rows tbody tr");
        await Expect(rows.Filter(new() { HasText = alpha.Name })).ToHaveCountAsync(1);
        await Expect(rows.Filter(new() { HasText = beta.Name })).ToHaveCountAsync(1);

        var search = page.GetByRole(AriaRole.Searchbox, new() { Name = "Search invitations" });
        if (javaScript)
        {
            await page.WaitForFunctionAsync("() => window.htmx !== undefined");
            await page.EvaluateAsync("() => { window.__marker = 1; }");
            var loads = 0;
            page.Load += (_, _) => loads++;
            await search.PressSequentiallyAsync(alpha.Name);
            await Expect(rows).ToHaveCountAsync(1);
            Assert.Equal(1, await page.EvaluateAsync<int?>("() => window.__marker ?? null"));
            Assert.Equal(0, loads);
            await Expect(page).ToHaveURLAsync(new Regex(@"/if/admin/invitations/\?q=" + Regex.Escape(alpha.Name) + "(&status=)?$"));
        }
        else
        {
            await search.FillAsync(alpha.Name);
            await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
            await Expect(page).ToHaveURLAsync(new Regex(@"/if/admin/invitations/\?q=" + Regex.Escape(alpha.Name) + "(&status=)?$"));
            await Expect(rows).ToHaveCountAsync(1);
            await Expect(search).ToHaveValueAsync(alpha.Name);
        }
        await Expect(rows).ToContainTextAsync(alpha.Name);
        await Expect(page.GetByText(beta.Name)).ToHaveCountAsync(0);

        var link = page.GetByLabel($"Invitation link for {alpha.Name}");
        await Expect(link).ToBeHiddenAsync();
        await rows.Locator("summary").ClickAsync();
        await Expect(link).ToBeVisibleAsync();
        await Expect(link).ToHaveValueAsync($"{fixture.App.Address}/if/flow/{flow.Slug}/?itoken={alpha.Id}");
        await Expect(rows.GetByRole(AriaRole.Link, new() { Name = "Details" })).ToBeVisibleAsync();
        if (javaScript)
        {
            await Expect(rows.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
            session.AssertNoScriptErrors();
        }
        else
        {
            await Expect(rows.Locator("button[data-copy]")).ToBeHiddenAsync();
        }
    }
}
