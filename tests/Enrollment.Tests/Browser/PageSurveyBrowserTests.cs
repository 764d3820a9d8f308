using System.Text;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.Browser;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Enrollment.Tests.Browser;

/// <summary>
/// Every admin list, form and detail page and every invitee page (each stage, with and without errors, the denial, the
/// user page, sign-in, errors), on a desktop (1280×900) and a phone (390×844), with JavaScript on: axe-core finds no
/// violation of any impact, and nothing is wider than the window (no sideways scrolling).
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PageSurveyBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>What the survey visits: a name for the report, the address, and what to do there first.</summary>
    private sealed record Visit(string Name, string Url, Func<IPage, Task>? Then = null);

    private async Task<List<Visit>> SeedAsync(string tag)
    {
        var app = fixture.App;
        var setup = await FlowKit.GuideFlowAsync(app, $"survey-{tag}", UserType.Internal);
        var invitation = await setup.InviteAsync(app, $"survey-{tag}-invite", singleUse: false, fixedData: new JsonObject { ["email"] = $"jane.{tag}@example.com" });
        var expired = await setup.InviteAsync(app, $"survey-{tag}-expired", expires: DateTime.UtcNow.AddDays(-1));
        var group = await FlowKit.GroupAsync(app, $"survey-{tag}-group");
        var user = await FlowKit.CreateUserAsync(app, $"survey-{tag}-user", group);
        var policy = new ExpressionPolicy { Name = $"survey-{tag}-policy", Expression = "return True" };
        var token = new Token { Identifier = $"survey-{tag}-token", UserId = user.Id, Intent = TokenIntent.Api, KeyHash = Guid.NewGuid().ToString("N") };
        var passwordPolicy = new PasswordPolicy { Name = $"survey-{tag}-password" };
        var flowPolicy = new PolicyBinding { FlowId = setup.Flow.Id, Policy = policy, Order = 0 };
        var bulk = new BulkInvitation { FlowId = setup.Flow.Id, Total = 1 };
        var delivery = new InvitationDelivery
        {
            InvitationId = invitation.Id, Email = $"jane.{tag}@example.com", BaseUrl = app.Address, BulkInvitation = bulk,
            State = DeliveryState.Failed, Attempts = 3, LastError = "550 mailbox unavailable",
        };
        await app.DbAsync(db =>
        {
            db.Policies.AddRange(policy, passwordPolicy);
            db.Tokens.Add(token);
            db.PolicyBindings.Add(flowPolicy);
            db.BulkInvitations.Add(bulk);
            db.InvitationDeliveries.Add(delivery);
            return db.SaveChangesAsync();
        });
        var stageBinding = await app.DbAsync(db => db.FlowStageBindings.Where(b => b.StageId == setup.Prompts.Id).Select(b => b.Id).SingleAsync());
        var slug = setup.Flow.Slug;
        var prompt = setup.Prompts.Fields[0];
        var continueButton = (IPage p) => p.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        return
        [
            new("start page", "/"),
            new("sign-in", "/if/login/"),
            new("sign-in with errors", "/if/login/", p => p.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync()),
            new("error page", "/error/404/"),
            new("prompt stage", setup.Link(invitation)),
            new("prompt stage with errors", setup.Link(invitation), async p =>
            {
                await p.GetByLabel("Password", new() { Exact = true }).FillAsync("x");
                await continueButton(p);
                await Expect(p.Locator(".error-summary")).ToBeVisibleAsync();
            }),
            new("denied", setup.Link(expired)),
            new("admin overview", "/if/admin/"),
            new("flows", "/if/admin/flows/"),
            new("flow create", "/if/admin/flows/new/"),
            new("flow create with errors", "/if/admin/flows/new/", async p =>
            {
                await p.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
                await Expect(p.Locator(".error-summary")).ToBeVisibleAsync();
            }),
            new("flow import", "/if/admin/flows/import/"),
            new("flow", $"/if/admin/flows/{slug}/"),
            new("flow edit", $"/if/admin/flows/{slug}/edit/"),
            new("flow bindings", $"/if/admin/flows/{slug}/bindings/"),
            new("flow policies", $"/if/admin/flows/{slug}/policies/"),
            new("flow delete", $"/if/admin/flows/{slug}/delete/"),
            new("stages", "/if/admin/stages/"),
            new("stage create", "/if/admin/stages/new/prompt/"),
            new("stage edit", $"/if/admin/stages/{setup.Prompts.Id}/edit/"),
            new("stage delete", $"/if/admin/stages/{setup.Prompts.Id}/delete/"),
            new("prompts", "/if/admin/prompts/"),
            new("prompt create", "/if/admin/prompts/new/"),
            new("prompt edit", $"/if/admin/prompts/{prompt.Id}/edit/"),
            new("policies", "/if/admin/policies/"),
            new("policy create", "/if/admin/policies/new/"),
            new("policy", $"/if/admin/policies/{policy.Id}/"),
            new("policy edit", $"/if/admin/policies/{policy.Id}/edit/"),
            new("invitations", "/if/admin/invitations/"),
            new("invitation create", "/if/admin/invitations/new/"),
            new("invitation wizard", "/if/admin/invitations/wizard/"),
            new("bulk invitations", "/if/admin/invitations/bulk/"),
            new("invitation", $"/if/admin/invitations/{invitation.Id}/"),
            new("invitation edit", $"/if/admin/invitations/{invitation.Id}/edit/"),
            new("invitation revoke", $"/if/admin/invitations/{invitation.Id}/delete/"),
            new("blueprints", "/if/admin/blueprints/"),
            new("users", "/if/admin/users/"),
            new("user", $"/if/admin/users/{user.Id}/"),
            new("user deactivate", $"/if/admin/users/{user.Id}/deactivate/"),
            new("groups", "/if/admin/groups/"),
            new("group create", "/if/admin/groups/new/"),
            new("group edit", $"/if/admin/groups/{group.Id}/edit/"),
            new("group members", $"/if/admin/groups/{group.Id}/members/"),
            new("tokens", "/if/admin/tokens/"),
            new("token create", "/if/admin/tokens/new/"),
            new("events", "/if/admin/events/"),
            new("brand", "/if/admin/brand/"),
            new("stage binding edit", $"/if/admin/flows/{slug}/bindings/{stageBinding}/edit/"),
            new("stage binding delete", $"/if/admin/flows/{slug}/bindings/{stageBinding}/delete/"),
            new("stage binding policies", $"/if/admin/flows/{slug}/policies/{stageBinding}/"),
            new("flow policy binding delete", $"/if/admin/flows/{slug}/policies/delete/{flowPolicy.Id}/"),
            .. new[] { "invitation", "user_write", "user_login", "email", "deny" }.Select(kind => new Visit($"stage create ({kind})", $"/if/admin/stages/new/{kind}/")),
            new("prompt delete", $"/if/admin/prompts/{prompt.Id}/delete/"),
            new("password policy create", "/if/admin/policies/new/password/"),
            new("password policy", $"/if/admin/policies/{passwordPolicy.Id}/"),
            new("password policy edit", $"/if/admin/policies/{passwordPolicy.Id}/edit/password/"),
            new("policy delete", $"/if/admin/policies/{policy.Id}/delete/"),
            new("invitation send", $"/if/admin/invitations/{invitation.Id}/send/"),
            new("delivery resend", $"/if/admin/invitations/{invitation.Id}/deliveries/{delivery.Id}/resend/"),
            new("bulk invitation progress", $"/if/admin/invitations/bulk/{bulk.Id}/"),
            new("blueprint apply", "/if/admin/blueprints/apply/?path=example%2Finvitation-based-enrollment.yaml"),
            new("group delete", $"/if/admin/groups/{group.Id}/delete/"),
            new("user delete", $"/if/admin/users/{user.Id}/delete/"),
            new("token delete", $"/if/admin/tokens/{token.Id}/delete/"),
            new("user page", "/if/user/"),
        ];
    }

    [SkippableTheory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task Every_page_has_no_axe_violation_and_fits_the_window(int width, int height)
    {
        await using var session = await fixture.OpenAsync(javaScript: true, width, height, bypassCsp: true);
        var page = session.Page;
        var visits = await SeedAsync($"w{width}");
        var problems = new StringBuilder();
        var signedIn = false;
        foreach (var visit in visits)
        {
            if (!signedIn && visit.Url.StartsWith("/if/admin"))
            {
                await session.SignInAsAdminAsync();
                signedIn = true;
            }
            var response = await page.GotoAsync(fixture.App.Address + visit.Url);
            // Only the error page may answer with an error: any other page that does was not surveyed.
            if (response is null || (response.Status >= 400 && !visit.Url.StartsWith("/error/")))
                problems.AppendLine($"{visit.Name} ({visit.Url}): answered {response?.Status.ToString() ?? "nothing"}");
            if (visit.Then is not null) await visit.Then(page);
            await SurveyAsync(page, $"{visit.Name} ({visit.Url})", problems);
        }
        Assert.True(problems.Length == 0, $"At {width}×{height}:\n{problems}");
    }

    /// <summary>
    /// The email stage's pages: "Check your email" (before and after "I have opened the link" says it is not confirmed
    /// yet) and the page the emailed link opens in another browser, each checked as the survey checks every page.
    /// </summary>
    [SkippableTheory]
    [InlineData(1280, 900)]
    [InlineData(390, 844)]
    public async Task The_email_stage_pages_have_no_axe_violation_and_fit_the_window(int width, int height)
    {
        fixture.RequireBrowser();
        var slug = $"survey-email-{width}";
        await using var smtp = new LoopbackSmtpServer();
        await FlowKit.EmailConfirmationFlowAsync(fixture.App, slug, smtp.Port);
        var problems = new StringBuilder();

        await using var laptop = await fixture.OpenAsync(javaScript: true, width, height, bypassCsp: true);
        var page = laptop.Page;
        await page.GotoAsync($"/if/flow/{slug}/");
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync($"{slug}-user");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync($"{slug}-user@example.com");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(FlowKit.Password);
        await page.GetByLabel("Password (repeat)", new() { Exact = true }).FillAsync(FlowKit.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your email" })).ToBeVisibleAsync();
        await SurveyAsync(page, "email stage: check your email", problems);
        await page.GetByRole(AriaRole.Button, new() { Name = "I have opened the link" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("not confirmed yet");
        await SurveyAsync(page, "email stage: not confirmed yet", problems);

        var message = Assert.Single(await smtp.WaitForAsync(1));
        var link = EmailStageBrowserTests.LinkPattern().Match(message.TextBody).Value;
        Assert.NotEmpty(link);
        await using var phone = await fixture.OpenAsync(javaScript: true, width, height, bypassCsp: true);
        await phone.Page.GotoAsync(link);
        await Expect(phone.Page.GetByRole(AriaRole.Button, new() { Name = "Confirm and continue" })).ToBeVisibleAsync();
        await SurveyAsync(phone.Page, "email stage: the emailed link", problems);
        Assert.True(problems.Length == 0, $"At {width}×{height}:\n{problems}");
    }

    /// <summary>Nothing wider than the window, and no axe violation of any impact.</summary>
    private static async Task SurveyAsync(IPage page, string name, StringBuilder problems)
    {
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        var scroll = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var inner = await page.EvaluateAsync<int>("() => window.innerWidth");
        if (scroll > inner) problems.AppendLine($"{name}: {scroll} px wide in a {inner} px window{await WidestAsync(page)}");

        var result = await page.RunAxe();
        foreach (var v in result.Violations)
            problems.AppendLine($"{name}: axe {v.Id} ({v.Impact}): {v.Help} — {string.Join(" | ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))}");
    }

    [SkippableTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task On_a_phone_the_admin_menu_opens_from_its_button_and_marks_the_current_section(bool javaScript)
    {
        await using var session = await fixture.OpenAsync(javaScript, 390, 844);
        var page = session.Page;
        await session.SignInAsAdminAsync();
        await page.GotoAsync(fixture.App.Address + "/if/admin/invitations/");
        var nav = page.GetByRole(AriaRole.Navigation, new() { Name = "Admin" });
        await Expect(nav).ToBeHiddenAsync(); // the page gets the whole width
        await page.GetByText("Menu", new() { Exact = true }).ClickAsync();
        await Expect(nav).ToBeVisibleAsync();
        await Expect(nav.Locator("[aria-current=page]")).ToHaveTextAsync("Invitations");
        await nav.GetByRole(AriaRole.Link, new() { Name = "Groups" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(fixture.App.Address + "/if/admin/groups/");
        await Expect(nav).ToBeHiddenAsync(); // a new page starts with the menu closed
        await page.GetByText("Menu", new() { Exact = true }).ClickAsync();
        await Expect(nav.Locator("[aria-current=page]")).ToHaveTextAsync("Groups");
    }

    /// <summary>The elements that stick out on the right, to say what to fix.</summary>
    private static async Task<string> WidestAsync(IPage page) =>
        ": " + await page.EvaluateAsync<string>("""
            () => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
                .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className && typeof e.className === 'string' ? '.' + e.className.split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px').join(', ')
            """);
}
