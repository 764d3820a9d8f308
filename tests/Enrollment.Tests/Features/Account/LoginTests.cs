using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Account;

/// <summary><c>/if/login/</c>: signing in, failures and lockout, where a sign-in may lead, and who then reaches the admin.</summary>
[Collection(AccountCollection.Name)]
public sealed class LoginTests(Hosts.Default app)
{
    private async Task<User> UserAsync(string username, string password, bool superuser = false)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = new User { UserName = username, Name = username, Email = $"{username}@example.com" };
        if (superuser) user.Groups.Add(await scope.ServiceProvider.GetRequiredService<Enrollment.Infrastructure.Data.AppDbContext>().Groups.SingleAsync(g => g.IsSuperuser));
        var result = await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    [Fact]
    public async Task Wrong_password_shows_one_generic_message_and_records_a_failed_login()
    {
        using var client = app.NewClient();
        var response = await client.PostFormAsync("/if/login/", ("Input.Username", "akadmin"), ("Input.Password", "wrong"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Invalid username or password.", TestClient.Errors(await TestClient.ParseAsync(response)));
        var unknown = await client.PostFormAsync("/if/login/", ("Input.Username", "nobody"), ("Input.Password", "wrong"));
        Assert.Contains("Invalid username or password.", TestClient.Errors(await TestClient.ParseAsync(unknown)));
        Assert.True(await app.DbAsync(db => db.Events.AnyAsync(e => e.Action == "login_failed")));
        (await client.Http.GetAsync("/if/admin/")).AssertRedirect("http://localhost/if/login/");
    }

    [Fact]
    public async Task Empty_fields_are_named()
    {
        using var client = app.NewClient();
        var response = await client.PostFormAsync("/if/login/", ("Input.Username", ""), ("Input.Password", ""));
        var errors = TestClient.Errors(await TestClient.ParseAsync(response));
        Assert.Contains("Enter your username or email.", errors);
        Assert.Contains("Enter your password.", errors);
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_for_the_right_password()
    {
        await UserAsync("locky", "Locky-Tulip-Glacier-58!");
        using var client = app.NewClient();
        for (var i = 0; i < 5; i++)
            await client.PostFormAsync("/if/login/", ("Input.Username", "locky"), ("Input.Password", "nope"));
        var response = await client.PostFormAsync("/if/login/", ("Input.Username", "locky"), ("Input.Password", "Locky-Tulip-Glacier-58!"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The same answer as a wrong password: the form does not tell a guesser which accounts it has locked.
        Assert.Equal(["Invalid username or password."], TestClient.Errors(await TestClient.ParseAsync(response)));
        Assert.True(await app.DbAsync(db => db.Users.Where(u => u.UserName == "locky").Select(u => u.LockoutEnd).SingleAsync()) > DateTimeOffset.UtcNow);
        (await client.Http.GetAsync("/if/admin/")).AssertRedirect("http://localhost/if/login/");
    }

    [Fact]
    public async Task Sign_in_by_email_lands_on_a_local_next_and_never_on_another_site()
    {
        using var client = app.NewClient();
        var page = await client.GetPageAsync("/if/login/?next=https%3A%2F%2Fevil.example%2F");
        var response = await client.Http.PostAsync("/if/login/?next=https%3A%2F%2Fevil.example%2F", new FormUrlEncodedContent(
        [
            new("Input.Username", "admin@example.com"), new("Input.Password", EnrollmentApp.AdminPassword),
            new("Next", "https://evil.example/"), new("__RequestVerificationToken", TestClient.AntiforgeryToken(page)),
        ]));
        response.AssertRedirect("/if/admin/");

        using var other = app.NewClient();
        var page2 = await other.GetPageAsync("/if/login/");
        var protocolRelative = await other.Http.PostAsync("/if/login/", new FormUrlEncodedContent(
        [
            new("Input.Username", "akadmin"), new("Input.Password", EnrollmentApp.AdminPassword),
            new("Next", "//evil.example/"), new("__RequestVerificationToken", TestClient.AntiforgeryToken(page2)),
        ]));
        protocolRelative.AssertRedirect("/if/admin/");

        using var third = app.NewClient();
        var local = await third.PostFormAsync("/if/login/?next=%2Fif%2Fadmin%2Fflows%2F",
            ("Input.Username", "akadmin"), ("Input.Password", EnrollmentApp.AdminPassword), ("Next", "/if/admin/flows/"));
        local.AssertRedirect("/if/admin/flows/");
    }

    [Fact]
    public async Task A_post_without_a_valid_antiforgery_token_is_rejected_with_a_page_not_a_500()
    {
        using var client = app.NewClient();
        var response = await client.Http.PostAsync("/if/login/", new FormUrlEncodedContent(
            [new("Input.Username", "akadmin"), new("Input.Password", EnrollmentApp.AdminPassword), new("__RequestVerificationToken", "forged")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Bad request", (await TestClient.ParseAsync(response)).QuerySelector("h1")!.TextContent);
    }

    [Fact]
    public async Task Non_superusers_are_refused_the_admin_and_the_jobs_dashboard()
    {
        await UserAsync("plain", "Plain-Tulip-Glacier-58!");
        using var client = app.NewClient();
        await client.LoginAsync("plain", "Plain-Tulip-Glacier-58!");
        (await client.Http.GetAsync("/if/admin/flows/")).AssertRedirect("http://localhost/error/403/");
        Assert.NotEqual(HttpStatusCode.OK, (await client.Http.GetAsync("/if/admin/jobs")).StatusCode);
    }

    [Fact]
    public async Task Superusers_reach_the_jobs_dashboard_and_lose_access_when_deactivated()
    {
        var user = await UserAsync("boss", "Boss-Tulip-Glacier-58!", superuser: true);
        using var client = app.NewClient();
        await client.LoginAsync("boss", "Boss-Tulip-Glacier-58!");
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/if/admin/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/if/admin/")).StatusCode);

        await app.DbAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false)));
        (await client.Http.GetAsync("/if/admin/")).AssertRedirect("http://localhost/error/403/");
        Assert.NotEqual(HttpStatusCode.OK, (await client.Http.GetAsync("/if/admin/jobs")).StatusCode);
    }
}
