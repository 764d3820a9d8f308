using System.Net;
using System.Security.Claims;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Tokens;

public sealed class TokenAdminTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static (string, string)[] Fields(string identifier, string username = "akadmin", bool expiring = false, string expires = "") =>
        [("Input.Identifier", identifier), ("Input.Username", username), ("Input.Description", "for the tests"),
         ("Input.Expiring", expiring ? "true" : "false"), ("Input.Expires", expires)];

    private async Task<string> CreateAsync(TestClient client, string identifier, bool expiring = false, string expires = "")
    {
        var response = await client.PostFormAsync("/if/admin/tokens/new/", Fields(identifier, expiring: expiring, expires: expires));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("#token-key", page.QuerySelector("button[data-copy]")!.GetAttribute("data-copy"));
        return page.QuerySelector("input#token-key[readonly]")!.GetAttribute("value")!;
    }

    /// <summary>Runs the API scheme's handler on a bare request, so the result does not depend on which API endpoints exist.</summary>
    private async Task<AuthenticateResult> AuthenticateAsync(string key)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = "Bearer " + key;
        return await context.AuthenticateAsync(ApiTokenAuthenticationHandler.SchemeName);
    }

    [Fact]
    public async Task A_created_key_is_shown_once_stored_only_as_a_digest_and_authenticates()
    {
        using var client = await app.AdminClientAsync();
        var key = await CreateAsync(client, "ci-script", expiring: true, expires: DateTime.UtcNow.AddDays(7).ToString("yyyy-MM-ddTHH:mm"));
        Assert.True(key.Length >= 43, key);

        var token = await app.DbAsync(db => db.Tokens.Include(t => t.User).SingleAsync(t => t.Identifier == "ci-script"));
        Assert.Equal(ApiTokenAuthenticationHandler.Digest(key), token.KeyHash);
        Assert.Equal("akadmin", token.User.UserName);
        Assert.True(token.Expiring);
        Assert.True(token.Expires > DateTime.UtcNow.AddDays(6));

        var list = await client.GetHtmlAsync("/if/admin/tokens/");
        Assert.Contains("ci-script", list);
        Assert.DoesNotContain(key, list);
        Assert.DoesNotContain(token.KeyHash, list);

        var auth = await AuthenticateAsync(key);
        Assert.True(auth.Succeeded, auth.Failure?.Message);
        Assert.Equal("akadmin", auth.Principal!.FindFirstValue(ClaimTypes.Name));
        Assert.False((await AuthenticateAsync(key + "x")).Succeeded);

        using var api = app.ApiClient(key);
        Assert.NotEqual(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/v3/flows/instances/")).StatusCode);
    }

    [Fact]
    public async Task Bad_input_is_shown_next_to_the_fields_and_nothing_is_saved()
    {
        using var client = await app.AdminClientAsync();
        await CreateAsync(client, "taken-identifier");
        var before = await app.DbAsync(db => db.Tokens.CountAsync());

        var response = await client.PostFormAsync("/if/admin/tokens/new/", Fields("taken-identifier", username: "no-such-user", expiring: true));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Null(page.QuerySelector("#token-key"));
        string Error(string field) => page.QuerySelector($"[data-valmsg-for='Input.{field}']")!.TextContent.Trim();
        Assert.Equal("A token with this identifier already exists.", Error("Identifier"));
        Assert.Equal("There is no user named “no-such-user”.", Error("Username"));
        Assert.Equal("Enter when the token expires, or untick “Expiring”.", Error("Expires"));

        var past = await client.PostFormAsync("/if/admin/tokens/new/", Fields("in-the-past", expiring: true, expires: "2001-01-01T00:00"));
        Assert.Contains("Choose a time in the future.", TestClient.Errors(await TestClient.ParseAsync(past)));
        Assert.Equal(before, await app.DbAsync(db => db.Tokens.CountAsync()));
    }

    [Fact]
    public async Task Deleting_a_token_stops_its_key_working()
    {
        using var client = await app.AdminClientAsync();
        var key = await CreateAsync(client, "short-lived");
        var id = await app.DbAsync(db => db.Tokens.Where(t => t.Identifier == "short-lived").Select(t => t.Id).SingleAsync());
        Assert.Contains("short-lived", (await client.GetPageAsync($"/if/admin/tokens/{id}/delete/")).QuerySelector("h1")!.TextContent);

        (await client.PostFormAsync($"/if/admin/tokens/{id}/delete/")).AssertRedirect("/if/admin/tokens/");
        Assert.False(await app.DbAsync(db => db.Tokens.AnyAsync(t => t.Id == id)));
        Assert.False((await AuthenticateAsync(key)).Succeeded);

        await client.GetPageAsync($"/if/admin/tokens/{id}/delete/", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/tokens/", [], $"/if/admin/tokens/{id}/delete/")).StatusCode);
    }

    [Fact]
    public async Task The_list_searches_identifier_and_user_and_says_when_nothing_matches()
    {
        using var client = await app.AdminClientAsync();
        await CreateAsync(client, "search-me-ci");
        await CreateAsync(client, "other-script");
        var rows = (await client.GetPageAsync("/if/admin/tokens/?q=SEARCH-me")).QuerySelectorAll("#token-rows tbody tr").Select(r => r.TextContent).ToList();
        Assert.Single(rows);
        Assert.Contains("search-me-ci", rows[0]);
        var none = await client.GetPageAsync("/if/admin/tokens/?q=zzz%25");
        Assert.Contains("No token matches “zzz%”.", none.QuerySelector(".empty")!.TextContent);
    }
}
