using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>
/// Someone without a mouse: an invitee enrolls and an admin creates an invitation with Tab, typing, arrow keys, Space
/// and Enter only — every control on the way is reachable and works from the keyboard.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class KeyboardBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>What has focus, as a person would name it: the label of a field, the text of a link or button.</summary>
    private static Task<string> FocusedAsync(IPage page) => page.EvaluateAsync<string>("""
        () => { const e = document.activeElement; if (!e) return '';
                if (e.labels && e.labels.length) return e.labels[0].textContent.trim();
                return (e.getAttribute('aria-label') || e.textContent || '').trim(); }
        """);

    /// <summary>Presses Tab until <paramref name="name"/> has focus (at most 60 times), as a keyboard user moves on.</summary>
    private static async Task TabToAsync(IPage page, string name)
    {
        for (var i = 0; i < 60; i++)
        {
            if (await FocusedAsync(page) == name) return;
            await page.Keyboard.PressAsync("Tab");
        }
        Assert.Fail($"\"{name}\" cannot be reached with Tab (focus is on \"{await FocusedAsync(page)}\").");
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_invitee_enrolls_with_the_keyboard_alone(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var slug = $"keyboard-{BrowserKit.Mode(javaScript)}";
        var setup = await FlowKit.GuideFlowAsync(fixture.App, slug, UserType.Internal);
        var invitation = await setup.InviteAsync(fixture.App, $"{slug}-invite", fixedData: new JsonObject { ["email"] = $"kim.{slug}@example.com" });
        await page.GotoAsync(fixture.App.Address + setup.Link(invitation));

        Assert.Equal("Username", await FocusedAsync(page)); // the first field has focus on arrival
        await page.Keyboard.TypeAsync($"kim-{slug}");
        await TabToAsync(page, "Name");
        await page.Keyboard.TypeAsync("Kim Keys");
        await TabToAsync(page, "Password");
        await page.Keyboard.TypeAsync(FlowKit.Password);
        await TabToAsync(page, "Password (repeat)");
        await page.Keyboard.TypeAsync("not the same");
        await page.Keyboard.PressAsync("Enter");

        // The mistake: focus lands on the field it is about; both passwords are asked again, so back one field first.
        await Expect(page.Locator(".error-summary")).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.name === 'password_repeat'");
        await page.Keyboard.PressAsync("Shift+Tab");
        Assert.Equal("Password", await FocusedAsync(page));
        await page.Keyboard.TypeAsync(FlowKit.Password);
        await TabToAsync(page, "Password (repeat)");
        await page.Keyboard.TypeAsync(FlowKit.Password);
        await TabToAsync(page, "Continue");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveURLAsync(fixture.App.Address + "/if/user/");
        Assert.True(await fixture.App.DbAsync(db => db.Users.AnyAsync(u => u.UserName == $"kim-{slug}")));
        session.AssertNoScriptErrors();
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task An_admin_signs_in_and_creates_an_invitation_with_the_keyboard_alone(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript);
        var page = session.Page;
        var slug = $"keyboard-admin-{BrowserKit.Mode(javaScript)}";
        var setup = await FlowKit.GuideFlowAsync(fixture.App, slug, UserType.Internal);
        var name = $"{slug}-made";

        await page.GotoAsync(fixture.App.Address + "/if/login/?next=%2Fif%2Fadmin%2F");
        Assert.Equal("Username or email", await FocusedAsync(page));
        await page.Keyboard.TypeAsync("akadmin");
        await TabToAsync(page, "Password");
        await page.Keyboard.TypeAsync(EnrollmentApp.AdminPassword);
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(fixture.App.Address + "/if/admin/");

        await TabToAsync(page, "Invitations");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(fixture.App.Address + "/if/admin/invitations/");
        await TabToAsync(page, "Create");
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Create invitation");

        await TabToAsync(page, "Name");
        await page.Keyboard.TypeAsync(name);
        await TabToAsync(page, "Flow");
        // A select takes the first letters of an option, as a keyboard user picks one.
        await page.Keyboard.TypeAsync(setup.Flow.Name);
        await TabToAsync(page, "Single use");
        await page.Keyboard.PressAsync("Space");
        await TabToAsync(page, "Create");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(name);
        var made = await fixture.App.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Name == name));
        Assert.Equal(setup.Flow.Id, made.FlowId);
        Assert.True(made.SingleUse);
        session.AssertNoScriptErrors();
    }
}
