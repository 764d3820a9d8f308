using System.Net;
using System.Security.Claims;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Tokens.TokenPages;

namespace Enrollment.Tests.Features.Tokens;

/// <summary><c>/if/admin/tokens/new/</c>: a key shown once and kept only as a digest, or the form again naming what is wrong.</summary>
[Collection(TokensCollection.Name)]
public sealed class CreateTokenTests(Hosts.Default app)
{
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

        var auth = await AuthenticateAsync(app, key);
        Assert.True(auth.Succeeded, auth.Failure?.Message);
        Assert.Equal("akadmin", auth.Principal!.FindFirstValue(ClaimTypes.Name));
        Assert.False((await AuthenticateAsync(app, key + "x")).Succeeded);

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
}
