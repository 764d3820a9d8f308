using System.Net;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Account;

/// <summary><c>/if/flow/initial-setup/</c> on an install started without a bootstrap password (<see cref="Hosts.Unconfigured"/>).</summary>
public sealed class InitialSetupTests(Hosts.Unconfigured app) : IClassFixture<Hosts.Unconfigured>
{
    [Fact]
    public async Task First_admin_chooses_a_password_through_the_one_time_link()
    {
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(Domain.User.People)));
        var link = app.Services.GetRequiredService<InitialSetupLink>().Link;
        using var client = app.NewClient();

        await client.GetPageAsync("/if/flow/initial-setup/", HttpStatusCode.NotFound);
        await client.GetPageAsync("/if/flow/initial-setup/?token=guessed", HttpStatusCode.NotFound);

        var mismatch = await client.PostFormAsync(link, ("Input.Email", "root@example.com"), ("Input.Password", "Setup-Tulip-Glacier-58!"), ("Input.PasswordRepeat", "other"));
        Assert.Contains("Passwords don't match.", TestClient.Errors(await TestClient.ParseAsync(mismatch)));
        var weak = await client.PostFormAsync(link, ("Input.Email", "root@example.com"), ("Input.Password", "short"), ("Input.PasswordRepeat", "short"));
        Assert.Contains(TestClient.Errors(await TestClient.ParseAsync(weak)), e => e.StartsWith("Use at least 8 characters."));
        // The default policy, not Identity's composition rules: long but easy to guess is refused too.
        var guessable = await client.PostFormAsync(link, ("Input.Email", "root@example.com"), ("Input.Password", "Password1!"), ("Input.PasswordRepeat", "Password1!"));
        Assert.Contains(TestClient.Errors(await TestClient.ParseAsync(guessable)), e => e.StartsWith("This password is too easy to guess."));
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(Domain.User.People)));

        var done = await client.PostFormAsync(link, ("Input.Email", "root@example.com"), ("Input.Password", "Setup-Tulip-Glacier-58!"), ("Input.PasswordRepeat", "Setup-Tulip-Glacier-58!"));
        done.AssertRedirect("/if/login/");
        await client.LoginAsync("akadmin", "Setup-Tulip-Glacier-58!");
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/if/admin/")).StatusCode);

        using var late = app.NewClient();
        await late.GetPageAsync(link, HttpStatusCode.NotFound);
        Assert.Equal(1, await app.DbAsync(db => db.Users.CountAsync(Domain.User.People)));
    }
}
