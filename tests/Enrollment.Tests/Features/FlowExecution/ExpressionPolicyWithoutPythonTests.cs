using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// A missing Python runtime, simulated by a wrong <c>Python:Library</c>: the server runs, every expression fails
/// with "Python runtime not available" as its binding's failure result, and invitees get a clear page, never a 500.
/// </summary>
public sealed class ExpressionPolicyWithoutPythonTests(Hosts.WithoutPython app) : IClassFixture<Hosts.WithoutPython>
{
    [Fact]
    public async Task A_flow_policy_counts_as_its_failure_result_and_the_flow_denies_with_a_clear_message()
    {
        Assert.False(app.Services.GetRequiredService<PythonExpressions>().IsAvailable);
        var denied = await GuardedFlowAsync(app, "nopy-denied");
        await BindAsync(app, new PolicyBinding { FlowId = denied.Id, Policy = Policy("nopy-denied-policy") });
        var allowed = await GuardedFlowAsync(app, "nopy-allowed");
        await BindAsync(app, new PolicyBinding { FlowId = allowed.Id, FailureResult = true, Policy = Policy("nopy-allowed-policy") });
        using var client = app.NewClient();

        var response = await client.Http.GetAsync(FlowUrl(denied));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal($"{PolicyMessages.NotAllowed} {PolicyMessages.CouldNotCheck}", Denial(page));

        Assert.NotNull((await client.GetPageAsync(FlowUrl(allowed))).QuerySelector("#flow-card input[name='attributes.note']"));

        var recorded = await app.DbAsync(async db => (await db.Events.AsNoTracking().Where(e => e.Action == "policy_exception").ToListAsync())
            .Select(e => e.Context).Single(c => (string?)c["policy"]?["name"] == "nopy-denied-policy"));
        Assert.StartsWith("Python runtime not available", (string?)recorded["message"]);
    }

    [Fact]
    public async Task A_validation_policy_is_a_form_error_and_the_invitee_cannot_pass()
    {
        const string slug = "nopy-validation";
        var stage = PromptStageOf(slug, Field(slug, "email", PromptType.Email));
        stage.ValidationPolicies.Add(Policy($"{slug}-domain", "return context['prompt_data']['email'].endswith('@example.com')"));
        var (flow, _) = await FlowAsync(app, slug, [stage, PromptStageOf($"{slug}-after", Field(slug, "attributes.after"))]);
        using var client = app.NewClient();

        var response = await client.SubmitAsync(FlowUrl(flow), ("email", "jane@example.com"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal([PolicyMessages.EntriesCouldNotCheck], TestClient.Errors(page));
        Assert.Equal("jane@example.com", page.QuerySelector("#flow-card input[name=email]")!.GetAttribute("value"));
        Assert.Null((await client.GetPageAsync(FlowUrl(flow))).QuerySelector("#flow-card input[name='attributes.after']"));
    }

    [Fact]
    public async Task Prompt_expressions_give_empty_values_and_the_stage_still_works()
    {
        const string slug = "nopy-prompt";
        var name = Field(slug, "name");
        name.Placeholder = "return 'Your name'";
        name.PlaceholderExpression = true;
        name.InitialValue = "return 'Jane'";
        name.InitialValueExpression = true;
        var (flow, _) = await FlowAsync(app, slug, [PromptStageOf(slug, name), PromptStageOf($"{slug}-after", Field(slug, "attributes.after"))]);
        using var client = app.NewClient();

        var html = await client.GetHtmlAsync(FlowUrl(flow));
        Assert.DoesNotContain("return 'Jane'", html);
        Assert.DoesNotContain("Python runtime", html);
        var page = await client.GetPageAsync(FlowUrl(flow));
        var input = page.QuerySelector("#flow-card input[name=name]")!;
        Assert.True(string.IsNullOrEmpty(input.GetAttribute("value")));
        Assert.Null(input.GetAttribute("placeholder"));
        (await client.SubmitAsync(FlowUrl(flow), page, ("name", "Jane"))).AssertRedirect(FlowUrl(flow));
    }

    [Fact]
    public async Task A_blueprint_imports_expressions_unchecked_when_python_is_missing()
    {
        const string yaml = """
            version: 1
            metadata: {name: nopy}
            entries:
              - model: authentik_policies_expression.expressionpolicy
                identifiers: {name: nopy-unchecked}
                attrs:
                  expression: "return ("
            """;
        var result = await app.ImportAsync(yaml);
        Assert.True(result.Success, result.ToString());
        Assert.True(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Name == "nopy-unchecked")));
    }
}
