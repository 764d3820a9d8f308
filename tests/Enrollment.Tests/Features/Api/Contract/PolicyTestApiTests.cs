using System.Net;
using Enrollment.Tests.Features.Api.Invitations;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.OpenApi;

namespace Enrollment.Tests.Features.Api.Contract;

/// <summary><c>POST /api/v3/policies/all/{uuid}/test/</c>: authentik's policy test, run by the embedded Python.</summary>
public sealed class PolicyTestApiTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [SkippableFact]
    public async Task Runs_the_policy_for_a_user_with_a_context_and_answers_authentiks_result()
    {
        PythonAvailable.Require(app);
        var checker = new ContractCheckingHandler();
        using var c = app.ApiClient(checker);
        var p = ApiJsonClient.Unique("ptest");
        var policy = await c.Post("/api/v3/policies/expression/", $$"""
            {"name":"{{p}}","expression":"ak_logger.info('checking')\nak_message('hello ' + request.user.username)\nreturn request.context.get('team') == 'ops'"}
            """);
        var admin = await app.AdminAsync();

        var passing = await c.Post($"/api/v3/policies/all/{policy.Pk()}/test/", $$"""{"user":{{admin.Id}},"context":{"team":"ops" } }""", HttpStatusCode.OK);
        Assert.True((bool)passing["passing"]!);
        Assert.Equal(["hello akadmin"], passing["messages"]!.AsArray().Select(m => (string)m!).ToList());
        Assert.Contains("checking", passing["log_messages"]!.AsArray().Select(l => (string)l!["event"]!));
        var failing = await c.Post($"/api/v3/policies/all/{policy.Pk()}/test/", $$"""{"user":{{admin.Id}},"context":{"team":"sales" } }""", HttpStatusCode.OK);
        Assert.False((bool)failing["passing"]!);
        Assert.Contains("policies_all_test_create", checker.Seen.Keys);

        var (status, json) = await c.SendJsonAsync(HttpMethod.Post, $"/api/v3/policies/all/{policy.Pk()}/test/", """{"user":999999}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("object does not exist", (string)json!["user"]![0]!);
        (status, json) = await c.SendJsonAsync(HttpMethod.Post, $"/api/v3/policies/all/{policy.Pk()}/test/", """{"context":{}}""");
        Assert.Equal("This field is required.", (string)json!["user"]![0]!);
        (status, json) = await c.SendJsonAsync(HttpMethod.Post, $"/api/v3/policies/all/{policy.Pk()}/test/", $$"""{"user":{{admin.Id}},"context":[1]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.NotNull(json!["context"]);
        (status, _) = await c.SendJsonAsync(HttpMethod.Post, $"/api/v3/policies/all/{Guid.NewGuid()}/test/", $$"""{"user":{{admin.Id}}}""");
        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
