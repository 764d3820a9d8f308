using Enrollment.Domain;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>Building an enrollment flow through the admin forms, as a browser without JavaScript does it.</summary>
[Collection(BrowserCollection.Name)]
public sealed class FlowsBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [SkippableFact]
    public async Task Admin_creates_a_flow_and_binds_a_new_invitation_stage_without_javascript()
    {
        await using var session = await fixture.OpenAsync(javaScript: false);
        var page = session.Page;
        await session.SignInAsAdminAsync();

        await page.GotoAsync("/if/admin/flows/new/");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("Browser onboarding");
        await page.GetByLabel("Title", new() { Exact = true }).FillAsync("Welcome aboard");
        await page.GetByLabel("Slug", new() { Exact = true }).FillAsync("browser-onboarding");
        await page.GetByLabel("Designation").SelectOptionAsync("enrollment");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync($"{fixture.App.Address}/if/admin/flows/browser-onboarding/bindings/");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Flow “Browser onboarding” created. Bind its stages below.");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Stage bindings" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.GetByText("No stages are bound yet.")).ToBeVisibleAsync();

        await page.GetByLabel("Kind of new stage").SelectOptionAsync(new SelectOptionValue { Label = "Invitation stage" });
        await page.GetByLabel("Name of new stage").FillAsync("browser-onboarding-invitation");
        await Expect(page.GetByLabel("Order")).ToHaveValueAsync("10");
        await page.GetByRole(AriaRole.Button, new() { Name = "Bind stage" }).ClickAsync();

        await Expect(page).ToHaveURLAsync($"{fixture.App.Address}/if/admin/flows/browser-onboarding/bindings/");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Stage bound.");
        var row = page.Locator("table tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync("10");
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("browser-onboarding-invitation");
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("Invitation");
        await Expect(page.GetByText("No stages are bound yet.")).ToHaveCountAsync(0);

        var flow = await fixture.App.DbAsync(db => db.Flows.Include(f => f.Bindings).ThenInclude(b => b.Stage).SingleAsync(f => f.Slug == "browser-onboarding"));
        Assert.Equal(FlowDesignation.Enrollment, flow.Designation);
        Assert.Equal("Welcome aboard", flow.Title);
        var binding = Assert.Single(flow.Bindings);
        Assert.IsType<InvitationStage>(binding.Stage);
        Assert.Equal("browser-onboarding-invitation", binding.Stage.Name);

        // The new flow is now offered for invitations, and its page no longer warns about a missing invitation stage.
        await page.GotoAsync("/if/admin/invitations/new/");
        await Expect(page.GetByLabel("Flow", new() { Exact = true }).Locator("option", new() { HasText = "Browser onboarding (browser-onboarding)" })).ToHaveCountAsync(1);
        await page.GotoAsync("/if/admin/flows/browser-onboarding/");
        await Expect(page.Locator(".warning")).ToHaveCountAsync(0);
    }
}
