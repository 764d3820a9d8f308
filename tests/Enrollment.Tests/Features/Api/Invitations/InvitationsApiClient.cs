using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Api.Invitations;

/// <summary>Sends JSON bodies to the invitations API and arranges invitations directly in the database.</summary>
internal static class InvitationsApiClient
{
    public const string List = "/api/v3/stages/invitation/invitations/";

    /// <summary>The expiry the tests give invitations when any fixed one will do.</summary>
    public static readonly DateTime Jan1 = new(2031, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    public static async Task<(HttpStatusCode Status, JsonNode? Body)> SendJsonAsync(this HttpClient client, HttpMethod method, string url, string? body)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    public static async Task<JsonNode> SendJsonAsync(this HttpClient client, HttpMethod method, string url, string? body, HttpStatusCode expected)
    {
        var (status, json) = await client.SendJsonAsync(method, url, body);
        Assert.True(status == expected, $"{method} {url}: expected {(int)expected}, got {(int)status}. {json?.ToJsonString()}");
        return json!;
    }

    public static async Task<Invitation> AddInvitationAsync(this EnrollmentApp app, string name, DateTime? expires = null, Flow? flow = null,
        User? createdBy = null, bool singleUse = false, JsonObject? fixedData = null)
    {
        var invitation = new Invitation
        {
            Name = name, Expires = expires, FlowId = flow?.Id, CreatedById = createdBy?.Id, SingleUse = singleUse, FixedData = fixedData ?? [],
        };
        await app.DbAsync(async db =>
        {
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync();
        });
        return invitation;
    }

    public static Task<Invitation?> FindInvitationAsync(this EnrollmentApp app, Guid pk) =>
        app.DbAsync(db => db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == pk));

    public static Task<List<Event>> EventsAboutAsync(this EnrollmentApp app, string action, Guid pk) =>
        app.DbAsync(async db => (await db.Events.AsNoTracking().Where(e => e.Action == action).ToListAsync())
            .Where(e => e.Context.ToJsonString().Contains(pk.ToString(), StringComparison.Ordinal)).ToList());

    public static Task<User> AdminAsync(this EnrollmentApp app) =>
        app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "akadmin"));
}
