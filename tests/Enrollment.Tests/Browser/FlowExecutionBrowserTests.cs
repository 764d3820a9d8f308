using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Enrollment.Tests.Kit.Browser.BrowserKit;
using static Enrollment.Tests.Kit.FlowKit;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>
/// An invitee opens an invitation link and walks authentik's invitation-based enrollment (invitation → prompts →
/// user write → login) in a real Chromium: with JavaScript (htmx swaps only <c>#flow-card</c>, HX-Redirect at
/// the end) and without (plain POST/redirect/GET).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class FlowExecutionBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static ILocator Card(IPage page) => page.Locator("#flow-card");

    private static ILocator Continue(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Continue" });

    /// <summary>The prompt stage as the invitee first sees it: the flow's title, email from the invitation, nothing else filled.</summary>
    private static async Task ExpectPromptStageAsync(IPage page, GuideFlow setup, string email)
    {
        await Expect(Card(page).GetByRole(AriaRole.Heading, new() { Name = setup.Flow.Title, Level = 1 })).ToBeVisibleAsync();
        Assert.StartsWith(setup.Flow.Title, await page.TitleAsync());
        await Expect(Field(page, "Email")).ToHaveValueAsync(email);
        await Expect(Field(page, "Password")).ToHaveValueAsync("");
        await Expect(Field(page, "Password (repeat)")).ToHaveValueAsync("");
        await Expect(Continue(page)).ToBeVisibleAsync();
    }

    private static async Task FillAsync(IPage page, string username, string name, string password, string repeat)
    {
        await Field(page, "Username").FillAsync(username);
        await Field(page, "Name").FillAsync(name);
        await Field(page, "Password").FillAsync(password);
        await Field(page, "Password (repeat)").FillAsync(repeat);
    }

    /// <summary>Mismatched passwords: the error sits with the repeat field, the username stays, the passwords do not.</summary>
    private static async Task ExpectMismatchAsync(IPage page, string username, string email)
    {
        var error = FieldError(page, "Password (repeat)");
        await Expect(error).ToHaveTextAsync("Passwords don't match.");
        await Expect(Field(page, "Password (repeat)")).ToHaveAttributeAsync("aria-invalid", "true");
        var errorId = await error.GetAttributeAsync("id");
        Assert.False(string.IsNullOrEmpty(errorId));
        await Expect(Field(page, "Password (repeat)")).ToHaveAttributeAsync("aria-describedby", errorId!);
        await Expect(page.Locator(".field-error")).ToHaveCountAsync(1);
        await Expect(Field(page, "Username")).ToHaveValueAsync(username);
        await Expect(Field(page, "Email")).ToHaveValueAsync(email);
        await Expect(Field(page, "Password")).ToHaveValueAsync("");
        await Expect(Field(page, "Password (repeat)")).ToHaveValueAsync("");
    }

    /// <summary>The end of the flow: the user's page, signed in, and the user in the database.</summary>
    private async Task ExpectSignedInAsync(IPage page, string username, string name, string email, string path)
    {
        await Expect(page).ToHaveURLAsync(fixture.App.Address + "/if/user/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Welcome, {name}", Level = 1 })).ToBeVisibleAsync();
        var props = page.Locator("dl.props");
        await Expect(props).ToContainTextAsync($"Username{username}");
        await Expect(props).ToContainTextAsync($"Name{name}");
        await Expect(props).ToContainTextAsync($"Email{email}");
        await Expect(props).ToContainTextAsync($"Path{path}");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Successfully logged in!");
        await Expect(page.Locator(".whoami")).ToContainTextAsync($"Signed in as {username}");

        var user = await fixture.App.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == username));
        Assert.Equal(name, user.Name);
        Assert.Equal(email, user.Email);
        Assert.Equal(path, user.Path);
        Assert.Equal(UserType.Internal, user.Type);
        Assert.True(user.IsActive);
        Assert.NotNull(user.LastLogin); // set by the user login stage
        Assert.False(string.IsNullOrEmpty(user.PasswordHash));
    }

    private async Task<(GuideFlow Setup, Invitation Invitation, string Email)> ArrangeAsync(string slug)
    {
        var setup = await GuideFlowAsync(fixture.App, slug, UserType.Internal, $"users/{slug}");
        var email = $"jane.{slug}@example.com";
        var invitation = await setup.InviteAsync(fixture.App, $"{slug}-invite", fixedData: new JsonObject { ["email"] = email });
        return (setup, invitation, email);
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Invitee_opens_the_link_fixes_mismatched_passwords_and_ends_up_signed_in(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var slug = $"browser-enroll-{Mode(javaScript)}";
        var (setup, invitation, email) = await ArrangeAsync(slug);
        var username = $"jane-{Mode(javaScript)}";
        const string name = "Jane Doe";
        var link = fixture.App.Address + setup.Link(invitation);
        var flowUrl = $"{fixture.App.Address}/if/flow/{slug}/";

        var responses = new List<IResponse>();
        page.Response += (_, r) => responses.Add(r);
        var loads = 0;
        page.Load += (_, _) => loads++;

        await page.GotoAsync(link);
        await ExpectPromptStageAsync(page, setup, email);
        Assert.Equal(1, loads);
        if (javaScript)
        {
            await page.WaitForFunctionAsync("() => window.htmx !== undefined");
            // Marks that only survive if there is no full page load, and the card as it is now.
            await page.EvaluateAsync("() => { window.__marker = 1; window.__card = document.getElementById('flow-card'); document.querySelector('.flow-brand').__marker = 1; }");
        }

        // First try: the passwords do not match.
        await FillAsync(page, username, name, Password, "Different-Tulip-Glacier-58!");
        responses.Clear();
        await Continue(page).ClickAsync();
        await ExpectMismatchAsync(page, username, email);
        await Expect(Card(page).GetByRole(AriaRole.Heading, new() { Name = setup.Flow.Title, Level = 1 })).ToBeVisibleAsync();
        Assert.False(await fixture.App.DbAsync(db => db.Users.AnyAsync(u => u.UserName == username)));
        var post = Assert.Single(responses, r => r.Request.Method == "POST");
        Assert.Equal(200, post.Status); // the stage again, with its error: nothing is redirected
        if (javaScript)
        {
            Assert.Equal(flowUrl, post.Url); // hx-post: the flow's path
            var headers = await post.Request.AllHeadersAsync();
            Assert.Equal("true", headers.GetValueOrDefault("hx-request"));
            Assert.Equal("flow-card", headers.GetValueOrDefault("hx-target"));
            Assert.Equal(1, await page.EvaluateAsync<int?>("() => window.__marker ?? null"));
            Assert.Equal(1, await page.EvaluateAsync<int?>("() => document.querySelector('.flow-brand').__marker ?? null"));
            // Only the card was swapped: the old card left the document, one new card took its place.
            Assert.False(await page.EvaluateAsync<bool>("() => window.__card.isConnected"));
            await Expect(Card(page)).ToHaveCountAsync(1);
            await Expect(page.Locator("main form")).ToHaveCountAsync(1);
            Assert.Equal(1, loads);
            await Expect(page).ToHaveURLAsync(link); // htmx pushes nothing: the address bar keeps the invitation link
            Assert.StartsWith(setup.Flow.Title, await page.TitleAsync());
        }
        else
        {
            Assert.StartsWith(flowUrl, post.Url); // the form posts to the page's own address
            Assert.Equal(2, loads);
        }
        await session.ScreenshotAsync($"enrollment-mismatch-{Mode(javaScript)}");

        // Second try: the passwords match.
        await Field(page, "Password").FillAsync(Password);
        await Field(page, "Password (repeat)").FillAsync(Password);
        responses.Clear();
        await Continue(page).ClickAsync();
        await ExpectSignedInAsync(page, username, name, email, $"users/{slug}");
        await session.ScreenshotAsync($"enrollment-done-{Mode(javaScript)}");

        // The POST ran the user write and user login stages too: no GET of the flow comes between it and /if/user/.
        var submit = Assert.Single(responses, r => r.Request.Method == "POST");
        Assert.DoesNotContain(responses, r => r.Request.Method == "GET" && r.Url.StartsWith(flowUrl));
        if (javaScript)
        {
            // Leaving the flow is an HX-Redirect, and the browser navigates.
            Assert.Equal(200, submit.Status);
            Assert.Equal("/if/user/", await submit.HeaderValueAsync("hx-redirect"));
            Assert.Equal("true", (await submit.Request.AllHeadersAsync()).GetValueOrDefault("hx-request"));
            await page.WaitForLoadStateAsync(LoadState.Load);
            Assert.Equal(2, loads); // the one full load is /if/user/
        }
        else
        {
            Assert.Equal(302, submit.Status);
            Assert.Equal("/if/user/", await submit.HeaderValueAsync("location"));
        }
        var used = await fixture.App.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == invitation.Id));
        Assert.Equal(1, used.Uses);
        Assert.False(await fixture.App.DbAsync(db => db.FlowPlans.AnyAsync(p => p.FlowId == setup.Flow.Id))); // the plan is gone
        session.AssertNoScriptErrors();
    }

    [SkippableFact]
    public async Task With_javascript_refresh_back_and_forward_mid_flow_keep_the_prompt_stage_and_back_after_the_end_is_sane()
    {
        await using var session = await fixture.OpenAsync(javaScript: true);
        var page = session.Page;
        var (setup, invitation, email) = await ArrangeAsync("browser-history");
        var link = fixture.App.Address + setup.Link(invitation);
        const string username = "jane-history";

        await page.GotoAsync("/");
        await page.GotoAsync(link);
        await ExpectPromptStageAsync(page, setup, email);
        await page.WaitForFunctionAsync("() => window.htmx !== undefined");

        // A refresh on the prompt stage shows it again.
        await page.ReloadAsync();
        await ExpectPromptStageAsync(page, setup, email);
        await Expect(page).ToHaveURLAsync(link);

        // An error round-trip, then a refresh: still the prompt stage of the same plan (not a new one, not an error).
        await page.WaitForFunctionAsync("() => window.htmx !== undefined");
        await FillAsync(page, username, "Jane History", Password, "Other-Tulip-Glacier-58!");
        await Continue(page).ClickAsync();
        await ExpectMismatchAsync(page, username, email);
        await Expect(page).ToHaveURLAsync(link);
        var plans = await fixture.App.DbAsync(db => db.FlowPlans.Where(p => p.FlowId == setup.Flow.Id).Select(p => p.Id).ToListAsync());
        await page.ReloadAsync();
        await ExpectPromptStageAsync(page, setup, email);
        await Expect(FieldError(page, "Password (repeat)")).ToHaveCountAsync(0);
        Assert.Equal(plans, await fixture.App.DbAsync(db => db.FlowPlans.Where(p => p.FlowId == setup.Flow.Id).Select(p => p.Id).ToListAsync()));
        Assert.Single(plans);

        // Back leaves the flow, Forward comes back to the prompt stage.
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(fixture.App.Address + "/");
        await page.GoForwardAsync();
        await Expect(page).ToHaveURLAsync(link);
        await ExpectPromptStageAsync(page, setup, email);

        // The stage still works after all that.
        await page.WaitForFunctionAsync("() => window.htmx !== undefined");
        await FillAsync(page, username, "Jane History", Password, Password);
        await Continue(page).ClickAsync();
        await ExpectSignedInAsync(page, username, "Jane History", email, "users/browser-history");

        // Back after the end: the invitation link again. Its single-use invitation is used up, which the page says
        // plainly (no stale form, no server error); Forward returns to the signed-in user's page.
        await page.GoBackAsync();
        await Expect(page).ToHaveURLAsync(link);
        await Expect(Card(page).GetByRole(AriaRole.Heading, new() { Name = "Request has been denied.", Level = 1 })).ToBeVisibleAsync();
        await Expect(Card(page).Locator(".flow-step")).ToHaveTextAsync(setup.Flow.Title);
        await Expect(Card(page).Locator(".denied")).ToContainTextAsync(InvitationMessages.Used);
        await Expect(Card(page).Locator("form")).ToHaveCountAsync(0);
        await session.ScreenshotAsync("enrollment-back-after-end-js");
        await page.GoForwardAsync();
        await Expect(page).ToHaveURLAsync(fixture.App.Address + "/if/user/");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome, Jane History", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".whoami")).ToContainTextAsync($"Signed in as {username}");
        Assert.Equal(1, await fixture.App.DbAsync(db => db.Users.CountAsync(u => u.UserName == username)));
        session.AssertNoScriptErrors();
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_expired_invitation_shows_its_message(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var slug = $"browser-expired-{Mode(javaScript)}";
        var setup = await GuideFlowAsync(fixture.App, slug, UserType.Internal);
        var invitation = await setup.InviteAsync(fixture.App, $"{slug}-invite", fixedData: new JsonObject { ["email"] = "late@example.com" },
            expires: DateTime.UtcNow.AddDays(-1));

        var response = await page.GotoAsync(setup.Link(invitation));
        Assert.Equal(200, response!.Status);
        await Expect(Card(page).GetByRole(AriaRole.Heading, new() { Name = "Request has been denied.", Level = 1 })).ToBeVisibleAsync();
        await Expect(Card(page).Locator(".flow-step")).ToHaveTextAsync(setup.Flow.Title);
        var denied = Card(page).GetByRole(AriaRole.Alert);
        await Expect(denied).ToContainTextAsync("Request has been denied.");
        await Expect(denied).ToContainTextAsync(InvitationMessages.Expired);
        await Expect(Card(page).Locator("form")).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Username")).ToHaveCountAsync(0);
        Assert.Equal(0, await fixture.App.DbAsync(db => db.Invitations.Where(i => i.Id == invitation.Id).Select(i => i.Uses).SingleAsync()));
        session.AssertNoScriptErrors();
    }
}
