using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Enrollment.Tests.Fuzz;

/// <summary>
/// Random and hostile requests to the invitation API, <c>/api/v3/stages/invitation/invitations/</c>: creates,
/// updates (PUT, PATCH), deletes, lists and email sends with JSON of every shape (wrong types, huge strings, deep
/// nesting, NUL and lone-surrogate escapes, bytes that are not UTF-8, numbers out of range, bad dates, unknown fields,
/// lists where objects belong), bodies that are not JSON, wrong content types, bad tokens and ids. No answer is a
/// 5xx; a refused write changes nothing (no invitation created, the target as it was); a 201 adds exactly one, a
/// 204 removes exactly one; no user is created; what is stored fits its columns and holds no replaced byte.
/// </summary>
public sealed class InvitationApiFuzzTests(Hosts.Default app, ITestOutputHelper output) : IClassFixture<Hosts.Default>
{
    private const string List = "/api/v3/stages/invitation/invitations/";
    private const int RequestsPerRound = 40;

    private static readonly string[] Fields = ["name", "expires", "fixed_data", "single_use", "flow", "pk", "created_by", "flow_obj", "groups", "email", "email_domains", "max_uses", "uses", "status"];

    [Theory]
    [MemberData(nameof(FuzzSeeds.Seeds), MemberType = typeof(FuzzSeeds))]
    public async Task Hostile_requests_to_the_invitation_api_get_no_5xx_and_no_refused_write_changes_anything(int seed)
    {
        var flow = await app.ArrangeOnceAsync("fuzz-api-flow", () => app.FlowAsync("fuzz-api-flow", withInvitationStage: true));
        var hostile = new Hostile(seed);
        var json = new FuzzJson(hostile);
        // Invitations of this seed the requests can aim at; creates add to it, deletes take from it.
        var pool = new List<Guid>();
        for (var n = 0; n < 5; n++) pool.Add((await FlowKit.InvitationAsync(app, $"fuzz-api-{seed}-{n}", n % 2 == 0 ? flow.Id : null, singleUse: false)).Id);
        using var http = app.ApiClient(token: null);
        var statuses = new SortedDictionary<string, int>();
        var created = 0;

        for (var round = 0; round < FuzzSeeds.Rounds; round++)
        {
            var since = DateTime.UtcNow.AddSeconds(-1);
            for (var i = 0; i < RequestsPerRound; i++)
            {
                var trace = new FuzzTrace(nameof(InvitationApiFuzzTests), seed, round, i);
                var (request, target) = Next(hostile, json, pool, flow.Id, $"fz{seed}-{round}-{i}");
                var before = await FuzzCounts.OfAsync(app);
                var targetBefore = target is { } t ? await SnapshotAsync(t) : null;
                using var response = await http.SendAsync(request.ToMessage());
                var body = await FuzzChecks.NoServerErrorAsync(response, request, trace);
                var status = (int)response.StatusCode;
                statuses[$"{request.Method} {status}"] = statuses.GetValueOrDefault($"{request.Method} {status}") + 1;

                var after = await FuzzCounts.OfAsync(app);
                var targetAfter = target is { } t2 ? await SnapshotAsync(t2) : null;
                var what = $"{trace}: {status} for\n{request}\nanswer: {TestClient.Excerpt(body)}\n";
                Assert.True(after.Users == before.Users, what + $"users {before.Users} → {after.Users}");
                Assert.True(response.Content.Headers.ContentType?.MediaType is null or "application/json", what + "an answer that is not JSON");
                if (status >= 400)
                {
                    Assert.True(after.Invitations == before.Invitations, what + $"refused, yet invitations {before.Invitations} → {after.Invitations}");
                    Assert.True(targetBefore == targetAfter, what + $"refused, yet the target changed:\n{targetBefore}\n→ {targetAfter}");
                }
                else if (status == 201)
                {
                    Assert.True(after.Invitations == before.Invitations + 1, what + $"created, but invitations {before.Invitations} → {after.Invitations}");
                    pool.Add(Guid.Parse((string)JsonNode.Parse(body)!["pk"]!));
                    created++;
                }
                else if (status == 204 && request.Method == HttpMethod.Delete)
                {
                    Assert.True(after.Invitations == before.Invitations - 1 && targetAfter is null, what + $"deleted, but invitations {before.Invitations} → {after.Invitations}");
                    pool.Remove(target!.Value);
                }
                else
                {
                    Assert.True(after.Invitations == before.Invitations, what + $"invitations {before.Invitations} → {after.Invitations}");
                }
                if (request.CarriesBadBytes && status < 400 && request.Method != HttpMethod.Get && request.Method != HttpMethod.Delete)
                    Assert.Fail(what + "bytes that are not UTF-8 were accepted");
            }
            await FuzzChecks.BoundedAsync(app, since, new FuzzTrace(nameof(InvitationApiFuzzTests), seed, round, RequestsPerRound));
        }
        output.WriteLine($"seed {seed}: {FuzzSeeds.Rounds * RequestsPerRound} requests, {created} invitations created; {string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}"))}");
    }

    /// <summary>The next request and the invitation it aims at (null: none, or one that does not exist).</summary>
    private static (FuzzRequest Request, Guid? Target) Next(Hostile hostile, FuzzJson json, List<Guid> pool, Guid flowId, string name)
    {
        Guid? target = pool.Count > 0 && hostile.Chance(0.85) ? pool[hostile.Between(0, pool.Count - 1)] : null;
        // No NUL in a path: Kestrel answers 400 for one before the app sees it, and the test server cannot send one.
        var pk = target?.ToString() ?? (hostile.Chance(0.5) ? hostile.Guid() : FormBody.Escape(hostile.BadToken([flowId.ToString()]).Replace('\0', '0')));
        target ??= Guid.TryParse(pk, out var parsed) ? parsed : null; // a UUID of nothing: it must stay nothing
        var item = $"{List}{pk}/";
        var (method, url, kind) = hostile.Weighted<Func<(HttpMethod, string, string)>>(
            (35, () => (HttpMethod.Post, List, "create")),
            (15, () => (HttpMethod.Put, item, "update")),
            (20, () => (HttpMethod.Patch, item, "partial update")),
            (8, () => (HttpMethod.Delete, item, "delete")),
            (12, () => (HttpMethod.Get, List + "?" + ListQuery(hostile), "list")),
            (3, () => (HttpMethod.Get, item, "retrieve")),
            (5, () => (HttpMethod.Post, item + "send_email/", "send email")),
            (2, () => (hostile.Pick(HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete), List, "method on the list"))).Invoke();

        var (bytes, contentType, bad, shape) = method == HttpMethod.Get || method == HttpMethod.Delete && hostile.Chance(0.8)
            ? ((byte[]?)null, (string?)null, false, "no body")
            : Body(hostile, json, kind == "send email", flowId, name);
        var request = new FuzzRequest(method, url, $"{kind}, {shape}") { Body = bytes, ContentType = contentType, CarriesBadBytes = bad };
        var token = hostile.Weighted<Func<string?>>(
            (88, () => $"Bearer {EnrollmentApp.AdminToken}"),
            (3, () => null),
            (3, () => "Bearer " + FormFuzz.Header(hostile.Text())),
            (2, () => $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("akadmin:" + EnrollmentApp.AdminPassword))}"),
            (2, () => $"Bearer {EnrollmentApp.AdminToken}x"),
            (2, () => "Bearer " + new string('t', 5000))).Invoke();
        if (token is not null) request.Headers.Add(("Authorization", token));
        if (hostile.Chance(0.05)) request.Headers.Add(("Accept", hostile.Pick("text/html", "application/xml", "*/*")));
        return (request, target);
    }

    private static string ListQuery(Hostile hostile) => string.Join("&", Enumerable.Range(0, hostile.Between(1, 4)).Select(_ =>
    {
        var key = hostile.Pick("page", "page_size", "ordering", "search", "name", "created_by__username", "expires", "flow__slug", hostile.Text());
        var value = hostile.Weighted<Func<string>>(
            (40, () => hostile.Text()),
            (20, () => hostile.Pick("0", "-1", "1", "2", "99999999999", "1e3", "1.5", "-0", "100000", "2147483648")),
            (20, () => hostile.Pick("name", "-name", "expires,-single_use", "--name", "pk", "created_by__username", "name,", ",", "-", "flow__slug")),
            (20, () => hostile.Pick("2031-01-01T00:00:00Z", "2031-02-30T00:00Z", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "%", "_", "\\", "[a-z]%"))).Invoke();
        return FormBody.Escape(key) + "=" + FormBody.Escape(value);
    }));

    /// <summary>A body: an invitation-shaped object with hostile members, any JSON, deep JSON, huge JSON, broken JSON, bytes that are not UTF-8, in a random content type.</summary>
    private static (byte[]? Body, string? ContentType, bool Bad, string Shape) Body(Hostile hostile, FuzzJson json, bool sendEmail, Guid flowId, string name)
    {
        var (text, shape) = hostile.Weighted<Func<(string, string)>>(
            (45, () => (sendEmail ? EmailObject(hostile, json) : InvitationObject(hostile, json, flowId, name), "object")),
            (10, () => (json.Value(3), "any JSON")),
            (5, () => (json.Deep(hostile.Pick(10, 63, 64, 65, 200, 5000)), "deep")),
            (5, () => ("{\"name\":\"" + name + "\",\"fixed_data\":{\"big\":\"" + new string('x', hostile.Pick(65_000, 70_000, 1_100_000)) + "\"}}", "huge")),
            (15, () => (json.Malformed(InvitationObject(hostile, json, flowId, name)), "malformed")),
            (5, () => ("", "empty"))).Invoke();
        var bytes = Encoding.UTF8.GetBytes(text);
        var bad = false;
        if (hostile.Chance(0.12))
        {
            // Bytes that are not UTF-8 inside a string of a well-formed object.
            var prefix = Encoding.UTF8.GetBytes("{\"name\":\"" + name + "\",\"fixed_data\":{\"note\":\"");
            bytes = [.. prefix, .. hostile.InvalidUtf8(), .. Encoding.UTF8.GetBytes("\"}}")];
            (bad, shape) = (true, "invalid UTF-8");
        }
        else if (hostile.Chance(0.03))
        {
            bytes = Encoding.Unicode.GetBytes(text); // UTF-16 without saying so
            shape += " as UTF-16";
        }
        var type = hostile.Weighted<string?>(
            (70, "application/json"), (6, null), (5, "text/plain"), (4, "application/x-www-form-urlencoded"), (3, "application/xml"),
            (3, "application/json; charset=utf-16"), (3, "multipart/form-data; boundary=x"), (3, "application/merge-patch+json"), (3, ";;; garbage"));
        return (bytes, type, bad, shape);
    }

    private static string InvitationObject(Hostile hostile, FuzzJson json, Guid flowId, string name)
    {
        var members = new List<string>();
        foreach (var field in hostile.Shuffle(Fields))
        {
            if (!hostile.Chance(field == "name" ? 0.85 : 0.4)) continue;
            var value = hostile.Chance(0.5) ? Valid(hostile, json, field, flowId, name) : json.Value(2);
            members.Add(json.String(field) + ":" + value);
        }
        for (var n = hostile.Pick(0, 0, 0, 1, 3); n > 0; n--) members.Add(json.String(hostile.Text()) + ":" + json.Value(1));
        return "{" + string.Join(",", members) + "}";
    }

    /// <summary>A value the field accepts, or one just beside it (a date without a zone, a name with a space).</summary>
    private static string Valid(Hostile hostile, FuzzJson json, string field, Guid flowId, string name) => field switch
    {
        "name" => json.String(hostile.Weighted((70, name), (10, name + " x"), (10, new string('n', hostile.Pick(200, 201))), (10, hostile.Long()))),
        "expires" => hostile.Weighted(
            (40, json.String(FuzzJson.Iso(DateTime.UtcNow.AddDays(hostile.Between(-10, 400))))),
            (60, json.String(hostile.Pick("2031-01-01T00:00:00+02:00", "2031-01-01T00:00", "2031-13-01T00:00:00Z", "0001-01-01T00:00:00+01:00",
                "9999-12-31T23:59:59.9999999-14:00", "2031-01-01T00:00:00.12345678Z", "2031-01-01 00:00Z", "2031-01-01T24:00:00Z", "+275760-09-13T00:00:00Z",
                "2031-01-01T00:00:00+99:99", "1970-01-01T00:00:00Z", "2031-02-29T00:00:00Z")))),
        "fixed_data" => hostile.Chance(0.6) ? json.Object(2) : "{\"email\":" + json.String(hostile.Text()) + ",\"attributes\":" + json.Object(1) + "}",
        "single_use" => hostile.Pick("true", "false"),
        "flow" => hostile.Weighted((60, json.String(flowId.ToString())), (20, "null"), (20, json.String(flowId.ToString().ToUpperInvariant()))),
        _ => json.Value(1),
    };

    private static string EmailObject(Hostile hostile, FuzzJson json)
    {
        string Addresses() => hostile.Chance(0.5)
            ? "[" + string.Join(",", Enumerable.Range(0, hostile.Between(0, 4)).Select(_ => json.String(hostile.Pick("a@example.com", "bad", "", "x@y", hostile.Text())))) + "]"
            : json.Value(1);
        var members = new List<string> { "\"email_addresses\":" + Addresses() };
        if (hostile.Chance(0.3)) members.Add("\"cc_addresses\":" + Addresses());
        if (hostile.Chance(0.3)) members.Add("\"bcc_addresses\":" + Addresses());
        if (hostile.Chance(0.3)) members.Add("\"template\":" + json.String(hostile.Pick("email/invitation.html", "../../etc/passwd", "", hostile.Text())));
        return "{" + string.Join(",", hostile.Shuffle(members)) + "}";
    }

    /// <summary>What a write could change of an invitation, for comparing before and after.</summary>
    private Task<string?> SnapshotAsync(Guid id) => app.DbAsync(async db =>
        await db.Invitations.AsNoTracking().Where(i => i.Id == id).Select(i => new { i.Name, i.Expires, i.FlowId, i.SingleUse, i.FixedData, i.Uses, i.MaxUses })
            .SingleOrDefaultAsync() is { } i
            ? $"{i.Name}|{i.Expires:O}|{i.FlowId}|{i.SingleUse}|{i.MaxUses}|{i.Uses}|{i.FixedData.ToJsonString()}"
            : null);
}
