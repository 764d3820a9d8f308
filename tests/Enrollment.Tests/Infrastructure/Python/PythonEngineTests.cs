using System.Text.Json.Nodes;
using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Infrastructure.Python;

/// <summary>The embedded CPython as policies use it: the documented snippets, helpers, errors, timeouts, parallel use.</summary>
public sealed class PythonEngineTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private PythonExpressions Python => app.Services.GetRequiredService<PythonExpressions>();

    private static JsonObject Input(JsonObject? context = null, JsonObject? user = null) => new()
    {
        ["user"] = user ?? new JsonObject { ["username"] = "AnonymousUser", ["is_authenticated"] = false },
        ["context"] = context ?? [],
        ["client_ip"] = "192.0.2.10",
    };

    private Task<ExpressionResult> RunAsync(string expression, JsonObject? context = null, JsonObject? user = null, double timeout = 5) =>
        Python.EvaluateAsync(expression, Input(context, user), TimeSpan.FromSeconds(timeout), _ => null, default);

    [SkippableFact]
    public async Task The_documented_invitation_snippet_passes_only_with_an_invitation_in_effect()
    {
        PythonAvailable.Require(Python);
        Assert.True((await RunAsync("return context.get('invitation_in_effect', False)", new JsonObject { ["invitation_in_effect"] = true })).Passing);
        Assert.False((await RunAsync("return context.get('invitation_in_effect', False)")).Passing);
    }

    [SkippableFact]
    public async Task The_documented_department_snippet_reads_fixed_data_as_attributes_and_dict()
    {
        PythonAvailable.Require(Python);
        const string snippet = "invitation = context.get('invitation')\nreturn invitation.fixed_data.get('department') == 'Engineering'";
        JsonObject With(string department) => new() { ["invitation"] = new JsonObject { ["fixed_data"] = new JsonObject { ["department"] = department } } };
        Assert.True((await RunAsync(snippet, With("Engineering"))).Passing);
        Assert.False((await RunAsync(snippet, With("Sales"))).Passing);
    }

    [SkippableFact]
    public async Task The_documented_email_snippet_and_ak_message()
    {
        PythonAvailable.Require(Python);
        const string snippet = "prompt_data = context.get('prompt_data', {})\nif not prompt_data.get('email', '').endswith('@example.com'):\n    ak_message('Only example.com addresses may enroll.')\n    return False\nreturn True";
        var pass = await RunAsync(snippet, new JsonObject { ["prompt_data"] = new JsonObject { ["email"] = "jane@example.com" } });
        Assert.True(pass.Passing);
        var fail = await RunAsync(snippet, new JsonObject { ["prompt_data"] = new JsonObject { ["email"] = "jane@evil.test" } });
        Assert.False(fail.Passing);
        Assert.Equal(["Only example.com addresses may enroll."], fail.Messages);
    }

    [SkippableFact]
    public async Task None_fails_and_truthy_passes()
    {
        PythonAvailable.Require(Python);
        Assert.False((await RunAsync("x = 1")).Passing);
        Assert.True((await RunAsync("return 'yes'")).Passing);
        Assert.False((await RunAsync("return []")).Passing);
    }

    [SkippableFact]
    public async Task Request_user_has_the_fields_and_groups_policies_use()
    {
        PythonAvailable.Require(Python);
        var user = new JsonObject
        {
            ["pk"] = 7, ["username"] = "jane", ["email"] = "jane@example.com", ["attributes"] = new JsonObject { ["level"] = 3 },
            ["groups"] = new JsonArray(new JsonObject { ["pk"] = "g1", ["name"] = "engineering" }),
            ["all_groups"] = new JsonArray(new JsonObject { ["pk"] = "g1", ["name"] = "engineering" }, new JsonObject { ["pk"] = "g0", ["name"] = "staff" }),
        };
        var r = await RunAsync("""
            u = request.user
            ak_logger.info("checking", user=u.username)
            return (u.is_authenticated and u.username == 'jane' and u.email.endswith('@example.com')
                    and u.attributes.get('level') == 3 and ak_is_group_member(u, name='staff')
                    and not ak_is_group_member(u, name='sales') and [g.name for g in u.groups] == ['engineering']
                    and u.ak_groups.filter(name='engineering').exists())
            """, user: user);
        Assert.True(r.Passing, r.Error);
        Assert.Equal(["info: checking user='jane'"], r.Logs);
        Assert.False((await RunAsync("return request.user.is_authenticated")).Passing);
    }

    [SkippableFact]
    public async Task The_helpers_of_the_reference_are_in_scope()
    {
        PythonAvailable.Require(Python);
        var r = await RunAsync("""
            return [regex_match('abc123', r'\d+'), regex_replace('a-b', '-', '_'), str(ak_client_ip),
                    ak_client_ip in ip_network('192.0.2.0/24'), list_flatten(['x', 'y']), list_flatten([]), slugify('Hello World!')]
            """);
        Assert.Null(r.Error);
        Assert.Equal("""[true,"a_b","192.0.2.10",true,"x",null,"hello-world"]""", r.Value!.ToJsonString());
    }

    [SkippableFact]
    public async Task An_exception_is_reported_with_its_line_of_the_expression()
    {
        PythonAvailable.Require(Python);
        var r = await RunAsync("x = 1\ny = {}\nreturn y['missing']");
        Assert.False(r.Passing);
        Assert.Equal("KeyError: 'missing'", r.Error);
        Assert.Equal(3, r.Line);
    }

    [SkippableFact]
    public async Task An_endless_loop_is_interrupted_at_the_timeout_and_the_engine_keeps_working()
    {
        PythonAvailable.Require(Python);
        var r = await RunAsync("while True:\n    pass", timeout: 0.5);
        Assert.True(r.TimedOut);
        Assert.False(r.Passing);
        Assert.True((await RunAsync("return True")).Passing);
    }

    [SkippableFact]
    public void Syntax_errors_name_the_line()
    {
        PythonAvailable.Require(Python);
        Assert.Null(Python.Check("return True"));
        var problem = Python.Check("x = 1\nreturn (");
        Assert.NotNull(problem);
        Assert.Equal(2, problem.Line);
    }

    [SkippableFact]
    public async Task Ak_user_by_asks_the_lookup_of_its_own_evaluation_when_many_run_in_parallel()
    {
        PythonAvailable.Require(Python);
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Python.EvaluateAsync(
            "u = ak_user_by(username='x')\nreturn u.username if u else None", Input(), TimeSpan.FromSeconds(5),
            filters => i % 3 == 0 ? null : new JsonObject { ["pk"] = i, ["username"] = $"user{i}", ["groups"] = new JsonArray() }.ToJsonString(), default)));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => i % 3 == 0 ? null : $"user{i}"), results.Select(r => (string?)r.Value));
    }

    [SkippableFact]
    public async Task Many_requests_evaluate_in_parallel_safely()
    {
        PythonAvailable.Require(Python);
        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            RunAsync("return context.get('n') % 2 == 0", new JsonObject { ["n"] = i })));
        Assert.Equal(Enumerable.Range(0, 200).Select(i => i % 2 == 0), results.Select(r => r.Passing));
    }
}
