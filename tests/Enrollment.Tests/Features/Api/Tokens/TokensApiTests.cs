using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Api.Tokens;

/// <summary><c>/api/v3/core/tokens/</c>: CRUD by identifier, and a key shown once by <c>view_key/</c>.</summary>
public sealed class TokensApiTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string List = "/api/v3/core/tokens/";

    [Fact]
    public async Task A_created_token_is_the_callers_its_key_is_shown_once_and_authenticates()
    {
        var id = ApiJsonClient.Unique("ci-");
        using var client = app.ApiClient();

        var created = await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"identifier":"{{id}}","description":"CI job","expiring":false}""", HttpStatusCode.Created);
        Assert.Equal(id, (string?)created["identifier"]);
        Assert.Equal("api", (string?)created["intent"]);
        Assert.Equal("akadmin", (string?)created["user_obj"]!["username"]);
        Assert.Null(created["managed"]);
        Assert.False(created.AsObject().ContainsKey("key"));
        var stored = await app.DbAsync(db => db.Tokens.AsNoTracking().SingleAsync(t => t.Identifier == id));
        Assert.NotNull(stored.PendingKey);

        var view = await client.GetAsync($"{List}{id}/view_key/");
        Assert.Equal(HttpStatusCode.OK, view.StatusCode);
        Assert.Equal("no-store", view.Headers.CacheControl?.ToString());
        var key = (string)System.Text.Json.Nodes.JsonNode.Parse(await view.Content.ReadAsStringAsync())!["key"]!;
        Assert.Equal(ApiTokenAuthenticationHandler.Digest(key), stored.KeyHash);
        Assert.DoesNotContain(key, stored.PendingKey); // protected, not in clear
        Assert.Null(await app.DbAsync(db => db.Tokens.Where(t => t.Identifier == id).Select(t => t.PendingKey).SingleAsync()));
        Assert.True(await app.DbAsync(db => db.Events.AnyAsync(e => e.Action == "secret_view")));

        var again = await client.GetJsonAsync($"{List}{id}/view_key/", HttpStatusCode.Gone);
        Assert.Contains("shown only once", (string?)again["detail"]);

        using var withNewKey = app.ApiClient(key);
        await withNewKey.GetJsonAsync("/api/v3/core/users/");
    }

    [Fact]
    public async Task A_superuser_may_make_a_token_for_another_user_and_expiring_ones_get_authentiks_default_expiry()
    {
        var other = await app.AddUserAsync(ApiJsonClient.Unique("svc-"));
        var id = ApiJsonClient.Unique("for-");
        using var client = app.ApiClient();

        var created = await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"identifier":"{{id}}","user":{{other.Id}}}""", HttpStatusCode.Created);
        Assert.Equal(other.Id, (int)created["user"]!);
        Assert.True((bool)created["expiring"]!);
        var expires = DateTime.Parse((string)created["expires"]!, null, System.Globalization.DateTimeStyles.AdjustToUniversal);
        Assert.InRange(expires, DateTime.UtcNow.AddMinutes(25), DateTime.UtcNow.AddMinutes(31));
        Assert.Equal([id], (await client.GetJsonAsync($"{List}?user__username={other.UserName}")).Strings("identifier"));
    }

    [Fact]
    public async Task Bad_input_is_a_400_per_field_and_writes_nothing()
    {
        var existing = ApiJsonClient.Unique("dup-");
        using var client = app.ApiClient();
        await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"identifier":"{{existing}}"}""", HttpStatusCode.Created);
        var before = await app.DbAsync(db => db.Tokens.CountAsync());

        Assert.Equal("""{"identifier":["This field is required."]}""", (await client.SendJsonAsync(HttpMethod.Post, List, "{}", HttpStatusCode.BadRequest)).ToJsonString());
        Assert.Equal("""{"identifier":["Token with this identifier already exists."]}""",
            (await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"identifier":"{{existing}}"}""", HttpStatusCode.BadRequest)).ToJsonString());
        var bad = await client.SendJsonAsync(HttpMethod.Post, List, """{"identifier":"has space","intent":"recovery","user":999999,"expires":"soon"}""", HttpStatusCode.BadRequest);
        Assert.Equal(["expires", "identifier", "intent", "user"], bad.Keys().Order().ToList());
        Assert.Contains("Only 'api'", (string?)bad["intent"]![0]);
        Assert.Equal(before, await app.DbAsync(db => db.Tokens.CountAsync()));
    }

    [Fact]
    public async Task Retrieves_updates_and_deletes_by_identifier()
    {
        var id = ApiJsonClient.Unique("crud-");
        using var client = app.ApiClient();
        await client.SendJsonAsync(HttpMethod.Post, List, $$"""{"identifier":"{{id}}","expiring":false}""", HttpStatusCode.Created);

        Assert.Equal(id, (string?)(await client.GetJsonAsync($"{List}{id}/"))["identifier"]);
        var patched = await client.SendJsonAsync(HttpMethod.Patch, $"{List}{id}/", """{"description":"rotated"}""", HttpStatusCode.OK);
        Assert.Equal("rotated", (string?)patched["description"]);
        var renamed = id + "-r";
        var put = await client.SendJsonAsync(HttpMethod.Put, $"{List}{id}/", $$"""{"identifier":"{{renamed}}","expiring":true,"expires":"2031-01-01T00:00:00Z"}""", HttpStatusCode.OK);
        Assert.Equal("2031-01-01T00:00:00Z", (string?)put["expires"]);
        Assert.Equal([renamed], (await client.GetJsonAsync($"{List}?search={id}")).Strings("identifier"));
        Assert.True(await app.DbAsync(db => db.Events.AnyAsync(e => e.Action == "model_updated")));

        var (status, _) = await client.SendJsonAsync(HttpMethod.Delete, $"{List}{renamed}/", null);
        Assert.Equal(HttpStatusCode.NoContent, status);
        Assert.False(await app.DbAsync(db => db.Tokens.AnyAsync(t => t.Identifier == renamed)));
        await client.GetJsonAsync($"{List}{renamed}/", HttpStatusCode.NotFound);
        await client.SendJsonAsync(HttpMethod.Patch, $"{List}{renamed}/", "{}", HttpStatusCode.NotFound);
        var (viewStatus, viewBody) = await client.SendJsonAsync(HttpMethod.Get, $"{List}{renamed}/view_key/", null);
        Assert.Equal(HttpStatusCode.NotFound, viewStatus);
        Assert.Null(viewBody);
    }

    [Fact]
    public async Task A_token_made_in_the_admin_or_by_a_blueprint_has_no_key_to_view()
    {
        var user = await app.AddUserAsync(ApiJsonClient.Unique("own-"));
        await app.AddTokenAsync(user);
        var identifier = await app.DbAsync(db => db.Tokens.Where(t => t.UserId == user.Id).Select(t => t.Identifier).SingleAsync());
        using var client = app.ApiClient();

        var gone = await client.GetJsonAsync($"{List}{identifier}/view_key/", HttpStatusCode.Gone);
        Assert.Contains("shown only once", (string?)gone["detail"]);
    }

    [Fact]
    public async Task A_blueprint_makes_an_api_token_with_the_key_it_gives()
    {
        var user = await app.AddUserAsync(ApiJsonClient.Unique("bp-"));
        var id = ApiJsonClient.Unique("bp-token-");
        await app.ImportCleanAsync($$"""
            version: 1
            entries:
              - model: authentik_core.token
                identifiers: { identifier: {{id}} }
                attrs: { user: {{user.Id}}, key: blueprint-key-{{id}}, expiring: false, intent: api }
            """);
        using var client = app.ApiClient($"blueprint-key-{id}");
        await client.GetJsonAsync("/api/v3/core/users/", HttpStatusCode.Forbidden); // authenticated, not a superuser
    }
}
