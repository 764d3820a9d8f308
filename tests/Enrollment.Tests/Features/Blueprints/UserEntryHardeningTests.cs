using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Blueprints;

/// <summary>
/// Users written by blueprints (from the admin, the CLI or the API's import) are held to the rules of users created by
/// flows: lockout after failed sign-ins, Identity's password rules, and a username that is an email address only when
/// it is the user's own; the initial set-up's administrator gets lockout too.
/// </summary>
public sealed class UserEntryHardeningTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static string UserBlueprint(string username, string? email, string password) => $"""
        version: 1
        metadata:
          name: user {username}
        entries:
        - model: authentik_core.user
          identifiers:
            username: "{username}"
          attrs:
            name: Blueprint user
        {(email is null ? "" : $"    email: \"{email}\"")}
            password: "{password}"
        """;

    private async Task<BlueprintResult> ImportAsync(string yaml)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BlueprintImporter>().ImportAsync(yaml, null, dryRun: false, default);
    }

    private async Task<JsonObject> ImportThroughApiAsync(string yaml)
    {
        using var api = app.ApiClient();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes(yaml)), "file", "user.yaml" } };
        var response = await api.PostAsync("/api/v3/flows/instances/import/", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private async Task FailSignInAsync(string username, int times)
    {
        using var client = app.NewClient();
        for (var i = 0; i < times; i++)
            await client.PostFormAsync("/if/login/", ("Input.Username", username), ("Input.Password", $"Wrong-{i}-Tulip-Glacier-58"));
    }

    private Task<User> UserAsync(string username) => app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == username));

    [Fact]
    public async Task A_blueprint_user_has_lockout_and_five_wrong_passwords_lock_it()
    {
        var result = await ImportAsync(UserBlueprint("bp-lock", "bp-lock@example.com", "Blueprint-Tulip-Glacier-58!"));
        Assert.True(result.Success, result.ToString());
        Assert.True((await UserAsync("bp-lock")).LockoutEnabled);

        await FailSignInAsync("bp-lock", 5);
        Assert.True((await UserAsync("bp-lock")).LockoutEnd > DateTimeOffset.UtcNow);
        using var client = app.NewClient();
        var response = await client.PostFormAsync("/if/login/", ("Input.Username", "bp-lock"), ("Input.Password", "Blueprint-Tulip-Glacier-58!"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // the form again, not a redirect into the account
        Assert.Equal(["Invalid username or password."], TestClient.Errors(await TestClient.ParseAsync(response)));
    }

    [Fact]
    public async Task A_user_imported_through_the_api_has_lockout()
    {
        var json = await ImportThroughApiAsync(UserBlueprint("api-lock", "api-lock@example.com", "Api-User-Tulip-Glacier-58!"));
        Assert.True((bool)json["success"]!, json.ToJsonString());
        Assert.True((await UserAsync("api-lock")).LockoutEnabled);
    }

    [Fact]
    public async Task An_account_stored_without_the_lockout_flag_is_locked_all_the_same()
    {
        Assert.True((await ImportAsync(UserBlueprint("bp-legacy", null, "Legacy-Tulip-Glacier-58!"))).Success);
        await app.DbAsync(db => db.Users.Where(u => u.UserName == "bp-legacy").ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnabled, false)));

        await FailSignInAsync("bp-legacy", 5);
        using var client = app.NewClient();
        var response = await client.PostFormAsync("/if/login/", ("Input.Username", "bp-legacy"), ("Input.Password", "Legacy-Tulip-Glacier-58!"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode); // refused: the form again, not a redirect into the account
        Assert.Equal(["Invalid username or password."], TestClient.Errors(await TestClient.ParseAsync(response)));
    }

    [Fact]
    public async Task The_initial_setup_administrator_has_lockout()
    {
        // EnrollmentApp bootstraps akadmin through the same account creation as the initial set-up page.
        Assert.True((await UserAsync(Bootstrap.AdminUsername)).LockoutEnabled);
    }

    [Fact]
    public async Task A_weak_blueprint_password_is_an_entry_error_naming_the_field_and_nothing_is_saved()
    {
        var result = await ImportAsync(UserBlueprint("bp-weak", "bp-weak@example.com", "short"));
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal("password", error.Field);
        Assert.Equal(0, error.Entry);
        Assert.Contains("Use at least 8 characters.", error.Message);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "bp-weak")));

        var json = await ImportThroughApiAsync(UserBlueprint("api-weak", null, "short"));
        Assert.False((bool)json["success"]!);
        Assert.Contains(json["logs"]!.AsArray(), l => (string?)l!["log_level"] == "error" && (string?)l["field"] == "password");
    }

    [Fact]
    public async Task A_blueprint_username_that_is_another_email_address_is_refused_and_the_own_address_is_fine()
    {
        var result = await ImportAsync(UserBlueprint("someone@example.com", "other@example.org", "Shadow-Tulip-Glacier-58!"));
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal("username", error.Field);
        Assert.Equal(User.UsernameIsAnotherEmail, error.Message);
        Assert.False(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "someone@example.com")));

        var noEmail = await ImportAsync(UserBlueprint("nobody-else@example.com", null, "Shadow-Tulip-Glacier-58!"));
        Assert.False(noEmail.Success);

        var own = await ImportAsync(UserBlueprint("me@example.com", "ME@example.com", "Shadow-Tulip-Glacier-58!"));
        Assert.True(own.Success, own.ToString());
    }
}
