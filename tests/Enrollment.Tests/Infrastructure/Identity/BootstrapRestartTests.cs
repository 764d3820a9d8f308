using System.Net;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Infrastructure.Identity;

/// <summary>
/// The bootstrap variables at every start, as authentik's bootstrap blueprint: <c>akadmin</c> and its token are created
/// when missing, on a database that already has other users, and never overwritten when present. Each test starts
/// servers one after the other on one database (its file, or its PostgreSQL database), with other settings each time.
/// </summary>
public sealed class BootstrapRestartTests
{
    private static Dictionary<string, string?> Variables(string? password, string? token) => new()
    {
        ["ENROLLMENT_BOOTSTRAP_PASSWORD"] = password ?? "",
        ["ENROLLMENT_BOOTSTRAP_TOKEN"] = token ?? "",
    };

    /// <summary>The README's first command must work as written: its example password passes the default policy.</summary>
    [SkippableFact]
    public async Task The_readme_s_quick_start_password_is_accepted_and_signs_in()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "README.md"))) dir = dir.Parent;
        Skip.If(dir is null, "README.md is not beside the test binaries");
        var match = System.Text.RegularExpressions.Regex.Match(await File.ReadAllTextAsync(Path.Combine(dir.FullName, "README.md")),
            @"ENROLLMENT_BOOTSTRAP_PASSWORD='([^']+)' dotnet run");
        Assert.True(match.Success, "README.md's Quick start no longer sets ENROLLMENT_BOOTSTRAP_PASSWORD='…' for dotnet run");
        var password = match.Groups[1].Value;

        await using var first = new Hosts.Unconfigured();
        await using var second = new Hosts.SharingDatabaseWith(first, Variables(password, null));
        using var client = second.NewClient();
        await client.LoginAsync("akadmin", password);
    }

    [Fact]
    public async Task Akadmin_and_its_token_are_created_on_a_database_that_already_has_other_users()
    {
        await using var first = new Hosts.Unconfigured();
        await FlowKit.CreateUserAsync(first, "already-here");
        await FlowKit.CreateUserAsync(first, "also-here");
        Assert.False(await first.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "akadmin")));

        await using (var second = new Hosts.SharingDatabaseWith(first, Variables("Second-Tulip-Glacier-58!", "second-token-0123456789")))
        {
            var admin = await second.DbAsync(db => db.Users.Include(u => u.Groups).SingleAsync(u => u.UserName == "akadmin"));
            Assert.Contains(admin.Groups, g => g.IsSuperuser);
            using var api = second.ApiClient("second-token-0123456789");
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v3/core/users/")).StatusCode);
            using var client = second.NewClient();
            await client.LoginAsync("akadmin", "Second-Tulip-Glacier-58!");
        }
        Assert.Equal(3, await first.DbAsync(db => db.Users.CountAsync(Domain.User.People)));
    }

    [Fact]
    public async Task An_existing_akadmin_and_token_keep_their_password_and_key_when_the_variables_change()
    {
        await using var first = new Hosts.Default();
        var before = await first.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "akadmin"));
        var tokenBefore = await first.DbAsync(db => db.Tokens.AsNoTracking().SingleAsync(t => t.Identifier == Enrollment.Infrastructure.Identity.Bootstrap.TokenIdentifier));
        await FlowKit.CreateUserAsync(first, "someone-else");

        await using (var second = new Hosts.SharingDatabaseWith(first, Variables("Other-Tulip-Glacier-58!", "other-token-0123456789")))
        {
            var after = await second.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "akadmin"));
            Assert.Equal((before.Id, before.PasswordHash), (after.Id, after.PasswordHash));
            var tokens = await second.DbAsync(db => db.Tokens.AsNoTracking().Where(t => t.Identifier == Enrollment.Infrastructure.Identity.Bootstrap.TokenIdentifier).ToListAsync());
            Assert.Equal(tokenBefore.KeyHash, Assert.Single(tokens).KeyHash);
            using var oldKey = second.ApiClient(EnrollmentApp.AdminToken);
            Assert.Equal(HttpStatusCode.OK, (await oldKey.GetAsync("/api/v3/core/users/")).StatusCode);
            using var newKey = second.ApiClient("other-token-0123456789");
            Assert.Equal(HttpStatusCode.Unauthorized, (await newKey.GetAsync("/api/v3/core/users/")).StatusCode);
            using var client = second.NewClient();
            await client.LoginAsync("akadmin", EnrollmentApp.AdminPassword);
        }
    }

    [Fact]
    public async Task A_missing_token_is_created_for_an_akadmin_that_exists_and_a_deleted_one_comes_back()
    {
        await using var origin = new Hosts.Unconfigured();
        await using var first = new Hosts.SharingDatabaseWith(origin, Variables("First-Tulip-Glacier-58!", null));
        var admin = await first.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "akadmin"));
        Assert.False(await first.DbAsync(db => db.Tokens.AnyAsync()));

        await using (var second = new Hosts.SharingDatabaseWith(first, Variables(null, "late-token-0123456789")))
        {
            var token = await second.DbAsync(db => db.Tokens.AsNoTracking().SingleAsync());
            Assert.Equal((Enrollment.Infrastructure.Identity.Bootstrap.TokenIdentifier, admin.Id), (token.Identifier, token.UserId));
            Assert.Equal(admin.PasswordHash, (await second.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "akadmin"))).PasswordHash);
        }

        await first.DbAsync(db => db.Tokens.ExecuteDeleteAsync());
        await using (var third = new Hosts.SharingDatabaseWith(first, Variables(null, "late-token-0123456789")))
        {
            using var api = third.ApiClient("late-token-0123456789");
            Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v3/core/users/")).StatusCode);
        }
    }

    [Fact]
    public async Task With_only_the_token_set_akadmin_is_created_without_a_usable_password_and_the_token_works()
    {
        await using var origin = new Hosts.Unconfigured();
        await using var first = new Hosts.SharingDatabaseWith(origin, Variables(null, "only-token-0123456789"));
        var admin = await first.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "akadmin"));
        Assert.Null(admin.PasswordHash);
        using var api = first.ApiClient("only-token-0123456789");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v3/core/users/")).StatusCode);
    }
}
