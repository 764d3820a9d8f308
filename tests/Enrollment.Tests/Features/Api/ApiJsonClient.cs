using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api;

/// <summary>Reads API responses as JSON and arranges the flows, users, groups and tokens the API tests need.</summary>
internal static class ApiJsonClient
{
    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string url, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"GET {url}: expected {(int)expected}, got {(int)response.StatusCode}. {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }

    public static JsonArray Results(this JsonNode page) => page["results"]!.AsArray();

    public static List<string> Strings(this JsonNode page, string field) =>
        page.Results().Select(r => r![field]!.GetValue<string>()).ToList();

    public static List<string> Keys(this JsonNode? node) => node!.AsObject().Select(p => p.Key).ToList();

    /// <summary>A unique prefix, so each test finds its own rows in the class's shared database.</summary>
    public static string Unique(string prefix) => $"{prefix}{Guid.NewGuid():N}"[..(prefix.Length + 8)];

    public static async Task<List<Flow>> AddFlowsAsync(this EnrollmentApp app, params Flow[] flows)
    {
        await app.DbAsync(async db =>
        {
            db.Flows.AddRange(flows);
            await db.SaveChangesAsync();
        });
        return [.. flows];
    }

    public static async Task<User> AddUserAsync(this EnrollmentApp app, string username, Action<User>? configure = null, params Group[] groups)
    {
        var user = new User { UserName = username, NormalizedUserName = username.ToUpperInvariant(), Email = $"{username}@example.com" };
        configure?.Invoke(user);
        await app.DbAsync(async db =>
        {
            foreach (var g in groups) db.Attach(g);
            user.Groups.AddRange(groups);
            db.Users.Add(user);
            await db.SaveChangesAsync();
        });
        return user;
    }

    public static async Task<Group> AddGroupAsync(this EnrollmentApp app, string name, bool isSuperuser = false, Group? parent = null, JsonObject? attributes = null)
    {
        var group = new Group { Name = name, IsSuperuser = isSuperuser, ParentId = parent?.Id, Attributes = attributes ?? [] };
        await app.DbAsync(async db =>
        {
            db.Groups.Add(group);
            await db.SaveChangesAsync();
        });
        return group;
    }

    /// <summary>An API token for <paramref name="user"/>; returns the key to send.</summary>
    public static async Task<string> AddTokenAsync(this EnrollmentApp app, User user)
    {
        var key = "key-" + Guid.NewGuid().ToString("N");
        await app.DbAsync(async db =>
        {
            db.Tokens.Add(new Token { Identifier = "test-" + key, KeyHash = ApiTokenAuthenticationHandler.Digest(key), UserId = user.Id, Expiring = false });
            await db.SaveChangesAsync();
        });
        return key;
    }
}
