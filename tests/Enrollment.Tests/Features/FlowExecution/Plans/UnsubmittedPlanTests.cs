using System.Diagnostics;
using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Infrastructure.FlowExecution;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Enrollment.Tests.Features.FlowExecution.Plans;

/// <summary>
/// Opening a flow without ever submitting it (crawlers, scripts, a published link opened over and over) cannot fill
/// the plan table: past <see cref="FlowPlanStore.DefaultUnsubmittedPlanLimit"/> shown-only plans, a GET stores
/// nothing and its browser's POST plans the flow again; nobody is refused.
/// </summary>
public sealed class UnsubmittedPlanTests(Hosts.Default app, ITestOutputHelper output) : IClassFixture<Hosts.Default>
{
    private const string Password = "Plans-Tulip-Glacier-58!";

    [Fact]
    public async Task Ten_thousand_anonymous_gets_leave_the_plan_table_small_and_the_link_still_works()
    {
        const int Gets = 10_000;
        var invitation = await InvitationAsync("published-link");
        var link = $"/if/flow/invitation-enrollment/?itoken={invitation}";
        using (var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false }))
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < Gets; i++)
            {
                var response = await anonymous.GetAsync(link);
                if (response.StatusCode != HttpStatusCode.OK) Assert.Fail($"GET {i}: {(int)response.StatusCode}");
                response.Dispose();
            }
            output.WriteLine($"{Gets:N0} GETs in {clock.Elapsed.TotalSeconds:F1} s");
        }
        var plans = await PlansAsync();
        output.WriteLine($"{plans:N0} plans stored");
        Assert.InRange(plans, 1, FlowPlanStore.DefaultUnsubmittedPlanLimit);

        // A person opening the link now (its plan is not stored) enrols as always, with and without htmx.
        using var browser = app.NewClient();
        var page = await browser.GetPageAsync(link);
        Assert.Equal(plans, await PlansAsync());
        var posted = await browser.Http.PostAsync(link, new FormUrlEncodedContent(Answers("after-the-flood", page)));
        posted.AssertRedirect("/if/user/");
        Assert.NotNull(await app.DbAsync(db => db.Users.SingleOrDefaultAsync(u => u.UserName == "after-the-flood")));

        using var htmx = app.NewClient();
        page = await htmx.GetPageAsync(link);
        var action = page.QuerySelector("#flow-card form")!.GetAttribute("hx-post");
        Assert.Equal(link, action); // the query goes along, so the POST plans the same
        var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(Answers("htmx-after-the-flood", page)) };
        request.Headers.Add("HX-Request", "true");
        var swapped = await htmx.Http.SendAsync(request);
        Assert.Equal("/if/user/", swapped.Headers.GetValues("HX-Redirect").Single());
        Assert.NotNull(await app.DbAsync(db => db.Users.SingleOrDefaultAsync(u => u.UserName == "htmx-after-the-flood")));
    }

    [Fact]
    public async Task Past_the_limit_an_answer_with_errors_shows_the_form_again_and_a_second_submit_of_the_same_form_is_stale()
    {
        await FillToTheLimitAsync();
        var invitation = await InvitationAsync("errors-after-limit");
        var link = $"/if/flow/invitation-enrollment/?itoken={invitation}";
        using var browser = app.NewClient();
        var page = await browser.GetPageAsync(link);

        var wrong = Answers("mismatch-after-limit", page);
        wrong[^1] = new("password_repeat", "Other-Tulip-Glacier-58!");
        var retry = await TestClient.ParseAsync(await browser.Http.PostAsync(link, new FormUrlEncodedContent(wrong)));
        Assert.Contains("Passwords don't match.", TestClient.Errors(retry));

        var done = await browser.Http.PostAsync(link, new FormUrlEncodedContent(Answers("fixed-after-limit", retry)));
        done.AssertRedirect("/if/user/");
        Assert.NotNull(await app.DbAsync(db => db.Users.SingleOrDefaultAsync(u => u.UserName == "fixed-after-limit")));
    }

    [Fact]
    public async Task Past_the_limit_the_browser_holds_a_marked_key_and_without_it_the_session_has_ended()
    {
        await FillToTheLimitAsync();
        var invitation = await InvitationAsync("cookieless-after-limit");
        var link = $"/if/flow/invitation-enrollment/?itoken={invitation}";
        var cookies = new CookieContainer();
        using var browser = new TestClient(app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies)));
        var page = await browser.GetPageAsync(link);
        var key = cookies.GetCookies(new Uri("http://localhost/if/flow/invitation-enrollment/"))[FlowPlanStore.CookieName];
        Assert.NotNull(key);
        Assert.Matches(@"^d\d+\.", key!.Value); // a deferred plan's key: when it was given, then the random part

        key.Expired = true; // the browser was closed, or the cookie cleared
        var posted = await browser.Http.PostAsync(link, new FormUrlEncodedContent(Answers("cookieless-after-limit", page)));
        Assert.Contains("This sign-up session has ended or expired.", await posted.Content.ReadAsStringAsync());
        Assert.Null(await app.DbAsync(db => db.Users.SingleOrDefaultAsync(u => u.UserName == "cookieless-after-limit")));
    }

    /// <summary>Stores shown-only plans up to the limit directly, as that many first GETs would.</summary>
    private async Task FillToTheLimitAsync()
    {
        var missing = FlowPlanStore.DefaultUnsubmittedPlanLimit - await app.DbAsync(db => db.FlowPlans.CountAsync(p => p.Version == 1));
        if (missing <= 0) return;
        await app.DbAsync(async db =>
        {
            var flow = await db.Flows.SingleAsync(f => f.Slug == "invitation-enrollment");
            for (var i = 0; i < missing; i++)
                db.FlowPlans.Add(new FlowPlan { KeyHash = Guid.NewGuid().ToString("N") + Guid.NewGuid().ToString("N"), FlowId = flow.Id, Version = 1, Expires = DateTime.UtcNow.AddHours(1) });
            await db.SaveChangesAsync();
        });
    }

    private Task<int> PlansAsync() => app.DbAsync(db => db.FlowPlans.CountAsync());

    private Task<Guid> InvitationAsync(string name) => app.DbAsync(async db =>
    {
        var flow = await db.Flows.SingleAsync(f => f.Slug == "invitation-enrollment");
        var invitation = new Invitation { Name = name, FlowId = flow.Id };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        return invitation.Id;
    });

    private static List<KeyValuePair<string, string>> Answers(string username, IHtmlDocument page) =>
    [
        new("stage", page.QuerySelector("#flow-card input[name=stage]")!.GetAttribute("value")!),
        new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)),
        new("username", username),
        new("name", $"Name of {username}"),
        new("email", $"{username}@example.com"),
        new("password", Password),
        new("password_repeat", Password),
    ];
}
