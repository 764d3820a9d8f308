using Enrollment.Domain;
using Enrollment.Features.Stages.UserWrite;
using Enrollment.Infrastructure.Email;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Enrollment.Tests.Kit.Browser.BrowserKit;
using static Enrollment.Tests.Kit.FlowKit;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Features.Invitations;

/// <summary>
/// The invitation admin in a real Chromium with JavaScript on (htmx boosting links and forms): create with max uses,
/// groups and an address rule, edit, the wizard with a new flow, and bulk invite with reminders. Each test checks what
/// the page shows and what the database holds.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InvitationAdminBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private EnrollmentApp App => fixture.App;

    /// <summary>The POSTs the page makes from now on (to check htmx sent them, not a full page load).</summary>
    private static List<IRequest> RecordPosts(IPage page)
    {
        var posts = new List<IRequest>();
        page.Request += (_, request) => { if (request.Method == "POST") posts.Add(request); };
        return posts;
    }

    private static async Task AssertSentByHtmxAsync(IRequest post)
    {
        var headers = await post.AllHeadersAsync();
        Assert.Equal("true", headers.GetValueOrDefault("hx-request"));
    }

    private static ILocator Button(IPage page, string name) => page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });

    /// <summary>The value shown for <paramref name="name"/> in the invitation page's properties.</summary>
    private static ILocator Prop(IPage page, string name) => page.Locator($"dl.props dt:text-is('{name}') + dd");

    [SkippableFact]
    public async Task An_admin_creates_an_invitation_with_max_uses_a_group_an_address_and_domains_and_sees_them_on_its_page()
    {
        await using var session = await fixture.OpenAsync(javaScript: true);
        var page = session.Page;
        var flow = await App.FlowAsync("browser-admin-create", withInvitationStage: true);
        var group = await GroupAsync(App, "browser-admin-create-team");
        await session.SignInAsAdminAsync();

        await page.GotoAsync("/if/admin/invitations/new/");
        await page.WaitForFunctionAsync("() => window.htmx !== undefined");
        var posts = RecordPosts(page);
        await Field(page, "Name").FillAsync("browser-admin-created");
        await Field(page, "Flow").SelectOptionAsync(flow.Slug);
        await Field(page, "Max uses").FillAsync("3");
        await Field(page, group.Name).CheckAsync();
        await Field(page, "Email address").FillAsync("ann@eu.example.com");
        await Field(page, "Email domains").FillAsync("example.com, example.org");
        await Button(page, "Create").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invitation “browser-admin-created”", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Invitation “browser-admin-created” created. Share the link below.");
        await Expect(Prop(page, "Max uses")).ToHaveTextAsync("3");
        await Expect(Prop(page, "Single use")).ToHaveTextAsync("No");
        await Expect(Prop(page, "Groups")).ToHaveTextAsync(group.Name);
        await Expect(Prop(page, "Email address")).ToHaveTextAsync("ann@eu.example.com");
        await Expect(Prop(page, "Email domains")).ToHaveTextAsync("example.com, example.org (and their subdomains)");
        await AssertSentByHtmxAsync(Assert.Single(posts));

        var invitation = await App.DbAsync(db => db.Invitations.AsNoTracking().Include(i => i.Groups).SingleAsync(i => i.Name == "browser-admin-created"));
        await Expect(page).ToHaveURLAsync($"{App.Address}/if/admin/invitations/{invitation.Id}/");
        await Expect(page.Locator("#invitation-link")).ToHaveValueAsync($"{App.Address}/if/flow/{flow.Slug}/?itoken={invitation.Id}");
        Assert.Equal((3, flow.Id, "ann@eu.example.com"), (invitation.MaxUses, invitation.FlowId, invitation.Email));
        Assert.Equal([group.Id], invitation.Groups.Select(g => g.GroupId));
        Assert.Equal(["example.com", "example.org"], invitation.EmailDomains);
        await session.ScreenshotAsync("invitation-admin-created");
        session.AssertNoScriptErrors();
    }

    [SkippableFact]
    public async Task An_admin_edits_an_invitation_from_its_page_and_sees_the_change()
    {
        await using var session = await fixture.OpenAsync(javaScript: true);
        var page = session.Page;
        var flow = await App.FlowAsync("browser-admin-edit", withInvitationStage: true);
        var invitation = new Invitation
        {
            Name = "browser-admin-edited", FlowId = flow.Id, MaxUses = 3, Email = "ann@example.com", EmailDomains = ["example.com", "example.org"],
            Expires = new DateTime(2099, 3, 4, 5, 6, 0, DateTimeKind.Utc),
        };
        await App.DbAsync(db => { db.Invitations.Add(invitation); return db.SaveChangesAsync(); });
        await session.SignInAsAdminAsync();

        // The list's row links to the edit page…
        await page.GotoAsync($"/if/admin/invitations/?q={invitation.Name}");
        var row = page.Locator("#invitation-rows tbody tr").Filter(new() { HasText = invitation.Name });
        await row.Locator("summary").ClickAsync();
        await row.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Edit invitation “{invitation.Name}”", Level = 1 })).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync($"{App.Address}/if/admin/invitations/{invitation.Id}/edit/");

        // …and so does the invitation's page.
        await page.GotoAsync($"/if/admin/invitations/{invitation.Id}/");
        await page.WaitForFunctionAsync("() => window.htmx !== undefined");
        await page.EvaluateAsync("() => { window.__marker = 1; }");
        var loads = 0;
        page.Load += (_, _) => loads++;
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Edit invitation “{invitation.Name}”", Level = 1 })).ToBeVisibleAsync();
        await Expect(Field(page, "Name")).ToHaveValueAsync(invitation.Name);
        await Expect(Field(page, "Expires (UTC)")).ToHaveValueAsync("2099-03-04T05:06");
        await Expect(Field(page, "Flow")).ToHaveValueAsync(flow.Slug);
        await Expect(Field(page, "Max uses")).ToHaveValueAsync("3");
        await Expect(Field(page, "Email address")).ToHaveValueAsync("ann@example.com");
        await Expect(Field(page, "Email domains")).ToHaveValueAsync("example.com, example.org");

        // A refusal comes back next to its field, and nothing is written.
        var posts = RecordPosts(page);
        await Field(page, "Max uses").FillAsync("0");
        await Button(page, "Save").ClickAsync();
        await Expect(FieldError(page, "Max uses")).ToHaveTextAsync("An invitation admits at least one enrollment; leave it empty for no limit.");
        await Expect(page).ToHaveURLAsync($"{App.Address}/if/admin/invitations/{invitation.Id}/edit/");
        Assert.Equal(3, (await App.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == invitation.Id))).MaxUses);

        await Field(page, "Max uses").FillAsync("5");
        await Field(page, "Email address").FillAsync("bob@example.org");
        await Button(page, "Save").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Invitation “{invitation.Name}”", Level = 1 })).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync($"{App.Address}/if/admin/invitations/{invitation.Id}/");
        await Expect(page.Locator(".flash")).ToHaveTextAsync($"Invitation “{invitation.Name}” saved.");
        await Expect(Prop(page, "Max uses")).ToHaveTextAsync("5");
        await Expect(Prop(page, "Email address")).ToHaveTextAsync("bob@example.org");
        Assert.Equal(2, posts.Count);
        foreach (var post in posts) await AssertSentByHtmxAsync(post);
        Assert.Equal(1, await page.EvaluateAsync<int?>("() => window.__marker ?? null")); // the same document throughout
        Assert.Equal(0, loads);

        var saved = await App.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == invitation.Id));
        Assert.Equal((5, "bob@example.org", invitation.Expires, flow.Id), (saved.MaxUses, saved.Email, saved.Expires, saved.FlowId));
        Assert.Equal(["example.com", "example.org"], saved.EmailDomains);
        Assert.True(await App.DbAsync(db => db.Events.AnyAsync(e => e.Action == "model_updated")));
        await session.ScreenshotAsync("invitation-admin-edited");
        session.AssertNoScriptErrors();
    }

    [SkippableFact]
    public async Task The_wizard_makes_a_flow_from_the_template_and_the_invitation_and_shows_the_link()
    {
        await using var session = await fixture.OpenAsync(javaScript: true);
        var page = session.Page;
        var group = await GroupAsync(App, "browser-wizard-team");
        await session.SignInAsAdminAsync();

        await page.GotoAsync("/if/admin/invitations/wizard/");
        await page.WaitForFunctionAsync("() => window.htmx !== undefined");
        var posts = RecordPosts(page);
        await Expect(page.GetByLabel("A new flow from the template", new() { Exact = false })).ToBeCheckedAsync();
        await Field(page, "Flow name").FillAsync("Browser wizard");
        await Field(page, "Flow slug").FillAsync("browser-wizard");
        await Field(page, "Users").SelectOptionAsync("internal");
        await Field(page, "Group (optional)").SelectOptionAsync(new SelectOptionValue { Label = group.Name });
        await Field(page, "Name").FillAsync("browser-wizard-invitation");
        await Field(page, "Single use").UncheckAsync();
        await Field(page, "Max uses").FillAsync("3");
        await Field(page, "Email addresses").FillAsync("wizard-invitee@example.com");
        await Button(page, "Create").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Invitation “browser-wizard-invitation”", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".flash")).ToHaveTextAsync("Invitation created; 1 email(s) queued.");
        var invitation = await App.DbAsync(db => db.Invitations.AsNoTracking().Include(i => i.Flow).SingleAsync(i => i.Name == "browser-wizard-invitation"));
        await Expect(page).ToHaveURLAsync($"{App.Address}/if/admin/invitations/{invitation.Id}/");
        await Expect(page.Locator("#invitation-link")).ToHaveValueAsync($"{App.Address}/if/flow/browser-wizard/?itoken={invitation.Id}");
        await Expect(page.Locator("svg[aria-label='QR code of the invitation link']")).ToBeVisibleAsync();
        await Expect(page.Locator("#deliveries")).ToContainTextAsync("wizard-invitee@example.com");
        await AssertSentByHtmxAsync(Assert.Single(posts));

        Assert.Equal(("browser-wizard", FlowDesignation.Enrollment, 3), (invitation.Flow!.Slug, invitation.Flow.Designation, invitation.MaxUses));
        var kinds = await App.DbAsync(db => db.FlowStageBindings.AsNoTracking().Where(b => b.FlowId == invitation.FlowId).OrderBy(b => b.Order)
            .Select(b => EF.Property<string>(b.Stage, "kind")).ToListAsync());
        Assert.Equal(["invitation", "prompt", "prompt", "user_write", "user_login"], kinds);
        var write = await App.DbAsync(db => db.Stages.OfType<UserWriteStage>().AsNoTracking().SingleAsync(s => s.Name == "browser-wizard-write"));
        Assert.Equal((UserType.Internal, group.Id), (write.UserType, write.CreateUsersGroupId));
        Assert.Equal(1, await App.DbAsync(db => db.InvitationDeliveries.CountAsync(d => d.InvitationId == invitation.Id)));
        await session.ScreenshotAsync("invitation-admin-wizard");
        session.AssertNoScriptErrors();
    }

    [SkippableFact]
    public async Task Bulk_invite_with_a_reminder_queues_the_invitations_and_the_run_page_follows_the_emails()
    {
        await using var session = await fixture.OpenAsync(javaScript: true);
        var page = session.Page;
        await GuideFlowAsync(App, "browser-admin-bulk");
        await session.SignInAsAdminAsync();

        await page.GotoAsync("/if/admin/invitations/bulk/");
        await page.WaitForFunctionAsync("() => window.htmx !== undefined");
        var posts = RecordPosts(page);
        await Field(page, "Flow").SelectOptionAsync("browser-admin-bulk");
        await Field(page, "Addresses").FillAsync("ann-remind@example.com,Ann\nbob-remind@example.com\n");
        await Field(page, "Remind after (days, optional)").FillAsync("3");
        await Button(page, "Invite").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Bulk invitation of");
        await Expect(page.Locator(".flash")).ToHaveTextAsync("2 invitations created; the emails are on their way.");
        await Expect(page.Locator("#bulk-total")).ToHaveTextAsync("2");
        await Expect(page.Locator("[data-count=queued]")).ToHaveTextAsync("2");
        await Expect(page.Locator("#bulk-progress")).ToContainTextAsync("0 of 2 emails finished (0%).");
        await AssertSentByHtmxAsync(Assert.Single(posts));

        var runId = Guid.Parse(page.Url.TrimEnd('/').Split('/')[^1]);
        var deliveries = await App.DbAsync(db => db.InvitationDeliveries.AsNoTracking().Where(d => d.BulkInvitationId == runId).ToListAsync());
        var firsts = deliveries.Where(d => !d.IsReminder).ToList();
        var reminders = deliveries.Where(d => d.IsReminder).ToList();
        Assert.Equal(["ann-remind@example.com", "bob-remind@example.com"], firsts.Select(d => d.Email).Order());
        Assert.All(firsts, d => Assert.Equal(DeliveryState.Queued, d.State));
        Assert.Equal(["ann-remind@example.com", "bob-remind@example.com"], reminders.Select(d => d.Email).Order());
        Assert.All(reminders, r =>
        {
            Assert.Equal(DeliveryState.Scheduled, r.State);
            var first = firsts.Single(f => f.InvitationId == r.InvitationId);
            Assert.Equal(first.Created.AddDays(3), r.NextAttempt!.Value, TimeSpan.FromSeconds(1));
            Assert.InRange(r.NextAttempt.Value, DateTime.UtcNow.AddDays(3).AddMinutes(-5), DateTime.UtcNow.AddDays(3).AddMinutes(1));
        });

        // The emails go out (as the job worker would send them); htmx polling brings the counts without a click.
        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<InvitationDeliveryJob>().SendAsync([.. firsts.Select(d => d.Id)], CancellationToken.None);
        await Expect(page.Locator("[data-count=sent]")).ToHaveTextAsync("2", new() { Timeout = 20_000 });
        await Expect(page.Locator("#bulk-progress")).ToContainTextAsync("Finished: 2 sent, 0 failed of 2.");
        await Expect(page.Locator("#bulk-progress-bar")).ToHaveAttributeAsync("value", "2");

        // Each invitation's page lists its reminder, waiting for its day.
        var annInvitation = firsts.Single(d => d.Email == "ann-remind@example.com").InvitationId;
        await page.GotoAsync($"/if/admin/invitations/{annInvitation}/");
        var reminderRow = page.Locator("#deliveries tbody tr").Filter(new() { HasText = "(reminder)" });
        await Expect(reminderRow).ToHaveCountAsync(1);
        await Expect(reminderRow).ToContainTextAsync("Reminder scheduled");
        await Expect(reminderRow).ToContainTextAsync("ann-remind@example.com");
        await session.ScreenshotAsync("invitation-admin-bulk-reminders");
        session.AssertNoScriptErrors();
    }
}
