using System.Text;
using Enrollment.Infrastructure.Email;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Enrollment.Tests.Kit.FlowKit;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>
/// Bulk invite in a real Chromium: the form (a CSV file through htmx's boosted form, or pasted text with JavaScript
/// off) and the run's page, whose counts follow the emails by htmx polling or, without JavaScript, by refreshing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class BulkInviteBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_run_page_follows_the_emails_until_all_are_sent(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var slug = $"browser-bulk-{(javaScript ? "js" : "nojs")}";
        await GuideFlowAsync(fixture.App, slug);

        await session.SignInAsAdminAsync();
        await page.GotoAsync("/if/admin/invitations/");
        await page.GetByRole(AriaRole.Link, new() { Name = "Bulk invite" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Bulk invite", Level = 1 })).ToBeVisibleAsync();
        await page.GetByLabel("Flow", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Value = slug });
        if (javaScript)
        {
            await page.GetByLabel("Or upload a CSV file").SetInputFilesAsync(new FilePayload
            {
                Name = "people.csv", MimeType = "text/csv",
                Buffer = Encoding.UTF8.GetBytes($"email,name,attributes.team\nann-{slug}@example.com,Ann,Blue\nnot-an-address,Nobody,\nbob-{slug}@example.com,\"Bob, Jr.\",Red\n"),
            });
        }
        else
        {
            await page.GetByLabel("Addresses").FillAsync($"ann-{slug}@example.com,Ann\nnot-an-address\nbob-{slug}@example.com,Bob\n");
        }
        await page.GetByRole(AriaRole.Button, new() { Name = "Invite" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Bulk invitation of");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "created" }))
            .ToHaveTextAsync("2 invitations created; the emails are on their way. 1 row was left out, listed below.");
        await Expect(page.Locator("#rejected-rows tbody tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#rejected-rows")).ToContainTextAsync("not-an-address");
        await Expect(page.Locator("[data-count=queued]")).ToHaveTextAsync("2");
        await session.ScreenshotAsync($"bulk-run-queued-{(javaScript ? "js" : "nojs")}");

        var runId = Guid.Parse(page.Url.TrimEnd('/').Split('/')[^1]);
        var ids = await fixture.App.DbAsync(db => db.InvitationDeliveries.Where(d => d.BulkInvitationId == runId).Select(d => d.Id).ToArrayAsync());
        await using (var scope = fixture.App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<InvitationDeliveryJob>().SendAsync(ids, CancellationToken.None);

        // No click: htmx polls every 2 s; without JavaScript the page reloads itself every 5 s.
        await Expect(page.Locator("[data-count=sent]")).ToHaveTextAsync("2", new() { Timeout = 20_000 });
        await Expect(page.Locator("#bulk-progress")).ToContainTextAsync("Finished: 2 sent, 0 failed of 2.");
        await Expect(page.Locator("#bulk-progress")).Not.ToHaveAttributeAsync("hx-trigger", new System.Text.RegularExpressions.Regex("."));
        await Expect(page.Locator("#bulk-progress-bar")).ToHaveAttributeAsync("value", "2");
        await session.ScreenshotAsync($"bulk-run-finished-{(javaScript ? "js" : "nojs")}");
        if (javaScript) session.AssertNoScriptErrors();
    }
}
