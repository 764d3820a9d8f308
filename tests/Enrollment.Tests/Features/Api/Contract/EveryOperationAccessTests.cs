using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Api.Contract;

/// <summary>
/// Least privilege on every operation our OpenAPI document lists: a token of a user who is not a superuser gets 403
/// and changes nothing; no token gets 401. The operations come from <c>/api/v3/schema/</c>, so a new endpoint is
/// covered the day it is mapped.
/// </summary>
public sealed class EveryOperationAccessTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task A_non_superuser_token_is_403_and_no_token_401_on_every_operation_and_nothing_changes()
    {
        using var anonymous = app.ApiClient(token: null);
        var document = await anonymous.GetJsonAsync("/api/v3/schema/");
        var plain = await app.AddGroupAsync(ApiJsonClient.Unique("staff-"));
        var user = await app.AddUserAsync(ApiJsonClient.Unique("worker-"), null, plain);
        using var worker = app.ApiClient(await app.AddTokenAsync(user));
        var flow = (await app.AddFlowsAsync(new Domain.Flow { Name = "Kept", Slug = ApiJsonClient.Unique("kept-"), Title = "t" }))[0];
        var before = await CountsAsync();

        var operations = (from path in document["paths"]!.AsObject()
                          from method in path.Value!.AsObject()
                          select (Url: Fill(path.Key, method.Value!, flow), Method: new HttpMethod(method.Key.ToUpperInvariant()))).ToList();
        Assert.True(operations.Count >= 60, $"only {operations.Count} operations in the document");
        var wrong = new List<string>();
        foreach (var (url, method) in operations)
        {
            foreach (var (client, expected) in new[] { (worker, HttpStatusCode.Forbidden), (anonymous, HttpStatusCode.Unauthorized) })
            {
                using var request = new HttpRequestMessage(method, url);
                if (method != HttpMethod.Get && method != HttpMethod.Delete)
                    request.Content = new StringContent("""{"name":"x","slug":"x","title":"x","designation":"enrollment"}""", Encoding.UTF8, "application/json");
                var response = await client.SendAsync(request);
                if (response.StatusCode != expected) wrong.Add($"{method} {url}: {(int)response.StatusCode}, expected {(int)expected}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(before, await CountsAsync());
    }

    /// <summary>
    /// Route parameters filled so the route matches (a mismatch is a 404 before any authorization): an integer for
    /// integer parameters, a uuid for uuid ones, a real flow's slug for the others.
    /// </summary>
    private static string Fill(string path, JsonNode operation, Domain.Flow flow)
    {
        var types = (operation["parameters"]?.AsArray() ?? []).Where(p => (string?)p!["in"] == "path")
            .ToDictionary(p => (string)p!["name"]!, p => ((string?)p!["schema"]?["type"], (string?)p!["schema"]?["format"]));
        return System.Text.RegularExpressions.Regex.Replace(path, @"\{([^}:]+)[^}]*\}", m => types.GetValueOrDefault(m.Groups[1].Value) switch
        {
            ("integer", _) => "1",
            (_, "uuid") => Guid.NewGuid().ToString(),
            _ => flow.Slug,
        }) + (path.EndsWith('/') ? "" : "/");
    }

    private Task<string> CountsAsync() => app.DbAsync(async db =>
        $"{await db.Flows.CountAsync()} {await db.Stages.CountAsync()} {await db.Prompts.CountAsync()} {await db.Policies.CountAsync()} " +
        $"{await db.PolicyBindings.CountAsync()} {await db.FlowStageBindings.CountAsync()} {await db.Invitations.CountAsync()} {await db.Users.CountAsync()} " +
        $"{await db.Groups.CountAsync()} {await db.Tokens.CountAsync()} {await db.Brands.CountAsync()}");
}
