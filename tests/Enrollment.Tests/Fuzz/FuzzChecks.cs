using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Fuzz;

/// <summary>What holds after any request, however hostile: no 5xx, and nothing in the database half-written or oversized.</summary>
public static class FuzzChecks
{
    /// <summary>No event, plan or invitation carries more than this (a page of text, not megabytes of input).</summary>
    public const int MaxJsonChars = 96 * 1024;

    public static async Task<string> NoServerErrorAsync(HttpResponseMessage response, FuzzRequest request, FuzzTrace trace)
    {
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 500)
            Assert.Fail($"{trace}: {(int)response.StatusCode} for\n{request}\nanswer: {TestClient.Excerpt(body)}");
        return body;
    }

    /// <summary>A redirect goes to this site only: a path, never <c>//host</c>, <c>/\host</c> or a scheme.</summary>
    public static void RedirectsLocally(HttpResponseMessage response, FuzzRequest request, FuzzTrace trace)
    {
        var location = response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.MovedPermanently
            ? response.Headers.Location?.OriginalString
            : response.Headers.TryGetValues("HX-Redirect", out var hx) ? hx.Single() : null;
        if (location is null) return;
        Assert.True(location.StartsWith('/') && !location.StartsWith("//", StringComparison.Ordinal) && !location.StartsWith("/\\", StringComparison.Ordinal)
                    && !location.Any(char.IsControl),
            $"{trace}: redirect to {location} for\n{request}");
    }

    /// <summary>
    /// After a round: every event and plan written since <paramref name="since"/> is small; every user and invitation
    /// holds no NUL, no U+FFFD (the fuzz never sends one, so it would be a replaced invalid byte) and fits its columns.
    /// </summary>
    public static async Task BoundedAsync(EnrollmentApp app, DateTime since, FuzzTrace trace)
    {
        var events = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Created >= since).Select(e => new { e.Action, e.Context, e.User }).ToListAsync());
        foreach (var e in events)
        {
            var size = e.Context.ToJsonString().Length + e.User.ToJsonString().Length;
            Assert.True(size <= MaxJsonChars, $"{trace}: event {e.Action} holds {size:N0} characters: {TestClient.Excerpt(e.Context.ToJsonString())}");
        }

        var plans = await app.DbAsync(db => db.FlowPlans.AsNoTracking().Select(p => p.Context).ToListAsync());
        foreach (var context in plans)
        {
            var json = context.ToJsonString();
            Assert.True(json.Length <= MaxJsonChars, $"{trace}: a plan holds {json.Length:N0} characters: {TestClient.Excerpt(json)}");
        }

        var users = await app.DbAsync(db => db.Users.AsNoTracking().Select(u => new { u.UserName, u.Name, u.Email, u.Attributes }).ToListAsync());
        foreach (var u in users)
        {
            var attributes = u.Attributes.ToJsonString();
            var what = $"{trace}: user {Show(u.UserName)} (name {Show(u.Name)}, email {Show(u.Email)}, attributes {TestClient.Excerpt(attributes)})";
            Assert.True(u.UserName is { Length: > 0 and <= 150 }, what + ": username length");
            Assert.True(u.Name.Length <= 300, what + ": name over the 300 characters of its column");
            Assert.True(u.Email is null || u.Email.Length <= 254, what + ": email length");
            Assert.True(attributes.Length <= MaxJsonChars, what + ": attributes size");
            Assert.False(Bad(u.UserName) || Bad(u.Name) || Bad(u.Email) || BadJson(u.Attributes), what + ": NUL or U+FFFD stored");
        }

        var invitations = await app.DbAsync(db => db.Invitations.AsNoTracking().Select(i => new { i.Name, i.FixedData }).ToListAsync());
        foreach (var i in invitations)
        {
            var json = i.FixedData.ToJsonString();
            var what = $"{trace}: invitation {Show(i.Name)} (fixed data {TestClient.Excerpt(json)})";
            Assert.True(i.Name.Length is > 0 and <= 200, what + ": name length");
            Assert.True(json.Length <= MaxJsonChars, what + ": fixed data size");
            Assert.False(Bad(i.Name) || BadJson(i.FixedData), what + ": NUL or U+FFFD stored");
        }
    }

    private static bool Bad(string? text) => text is not null && (text.Contains('\0') || text.Contains('\uFFFD'));

    private static bool BadJson(JsonNode? node) => node switch
    {
        JsonObject o => o.Any(p => Bad(p.Key) || BadJson(p.Value)),
        JsonArray a => a.Any(BadJson),
        JsonValue v => v.TryGetValue<string>(out var s) && Bad(s),
        _ => false,
    };

    private static string Show(string? text) => text is null ? "null" : "\"" + TestClient.Excerpt(text.Replace("\0", "\\0")) + "\"";
}
