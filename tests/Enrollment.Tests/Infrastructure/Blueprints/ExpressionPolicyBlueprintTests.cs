using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Infrastructure.Blueprints;

/// <summary>
/// Expression policies and policy bindings imported from a blueprint take effect: a flow policy, a stage-binding
/// policy (targets by <c>!KeyOf</c>), a validation policy and prompt expressions, walked over HTTP. Syntax is
/// checked on import, naming the entry and the line of the expression.
/// </summary>
public sealed class ExpressionPolicyBlueprintTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string Blueprint = """
        version: 1
        metadata:
          name: Invitation-only enrollment with expression policies
        entries:
        - model: authentik_flows.flow
          id: flow
          identifiers: {slug: bp-expr}
          attrs: {name: Blueprint expressions, title: Join us, designation: enrollment, denied_action: message}
        - model: authentik_policies_expression.expressionpolicy
          id: policy-link
          identifiers: {name: bp-expr-invitation-link}
          attrs:
            expression: |
              if 'itoken=' not in (request.http_request.query or ''):
                  ak_message('Open the link from your invitation.')
                  return False
              return True
        - model: authentik_policies_expression.expressionpolicy
          id: policy-department
          identifiers: {name: bp-expr-engineering}
          attrs:
            expression: |
              invitation = context.get('invitation')
              return invitation.fixed_data.get('department') == 'Engineering'
        - model: authentik_policies_expression.expressionpolicy
          id: policy-email
          identifiers: {name: bp-expr-email}
          attrs:
            execution_logging: true
            expression: |
              prompt_data = context.get('prompt_data', {})
              if not prompt_data.get('email', '').endswith('@example.com'):
                  ak_message('Use your @example.com address.')
                  return False
              return True
        - model: authentik_stages_invitation.invitationstage
          id: stage-invitation
          identifiers: {name: bp-expr-invitation}
        - model: authentik_stages_prompt.prompt
          id: prompt-username
          identifiers: {name: bp-expr-username}
          attrs:
            field_key: username
            label: Username
            type: username
            initial_value: return slugify(prompt_context.get('name', ''))
            initial_value_expression: true
        - model: authentik_stages_prompt.prompt
          id: prompt-email
          identifiers: {name: bp-expr-email-field}
          attrs: {field_key: email, label: Email, type: email, order: 1}
        - model: authentik_stages_prompt.prompt
          id: prompt-repository
          identifiers: {name: bp-expr-repository}
          attrs:
            field_key: attributes.repository
            label: Repository
            type: dropdown
            placeholder: "return ['platform', 'mobile']"
            placeholder_expression: true
        - model: authentik_stages_prompt.promptstage
          id: stage-account
          identifiers: {name: bp-expr-account}
          attrs:
            fields: [!KeyOf prompt-username, !KeyOf prompt-email]
            validation_policies: [!KeyOf policy-email]
        - model: authentik_stages_prompt.promptstage
          id: stage-engineering
          identifiers: {name: bp-expr-engineering-stage}
          attrs:
            fields: [!KeyOf prompt-repository]
        - model: authentik_stages_user_write.userwritestage
          id: stage-write
          identifiers: {name: bp-expr-write}
        - model: authentik_flows.flowstagebinding
          identifiers: {target: !KeyOf flow, stage: !KeyOf stage-invitation, order: 10}
        - model: authentik_flows.flowstagebinding
          identifiers: {target: !KeyOf flow, stage: !KeyOf stage-account, order: 20}
        - model: authentik_flows.flowstagebinding
          id: binding-engineering
          identifiers: {target: !KeyOf flow, stage: !KeyOf stage-engineering, order: 30}
          attrs: {re_evaluate_policies: true}
        - model: authentik_flows.flowstagebinding
          identifiers: {target: !KeyOf flow, stage: !KeyOf stage-write, order: 40}
        - model: authentik_policies.policybinding
          identifiers: {target: !KeyOf flow, policy: !KeyOf policy-link, order: 0}
          attrs: {timeout: 10, failure_result: false}
        - model: authentik_policies.policybinding
          identifiers: {target: !KeyOf binding-engineering, policy: !KeyOf policy-department, order: 0}
        """;


    private async Task<string> InviteAsync(Guid flowId, string name, JsonObject fixedData)
    {
        var invitation = await InvitationAsync(app, name, flowId, singleUse: false, fixedData: fixedData);
        return $"/if/flow/bp-expr/?itoken={invitation.Id}";
    }

    [SkippableFact]
    public async Task An_imported_flow_with_expression_policies_and_bindings_enforces_them()
    {
        PythonAvailable.Require(app);
        var result = await app.ImportAsync(Blueprint);
        Assert.True(result.Success, result.ToString());
        var flowId = await app.DbAsync(db => db.Flows.Where(f => f.Slug == "bp-expr").Select(f => f.Id).SingleAsync());
        Assert.Equal(2, await app.DbAsync(db => db.PolicyBindings.CountAsync(b => b.FlowId == flowId || b.FlowStageBinding!.FlowId == flowId)));

        // The flow policy: no invitation link, no flow, with the policy's message.
        using (var stranger = app.NewClient())
        {
            var page = await stranger.GetPageAsync("/if/flow/bp-expr/");
            Assert.Equal($"{PolicyMessages.NotAllowed} Open the link from your invitation.", Denial(page));
        }

        // Engineering: the initial-value expression fills the username, the validation policy checks the email,
        // the stage-binding policy lets the invitee reach the engineering stage and its computed choices.
        using (var engineer = app.NewClient())
        {
            var link = await InviteAsync(flowId, "bp-expr-eng", new JsonObject { ["name"] = "Grace Hopper", ["department"] = "Engineering" });
            var page = await engineer.GetPageAsync(link);
            Assert.Equal("grace-hopper", page.QuerySelector("#flow-card input[name=username]")?.GetAttribute("value"));
            page = await TestClient.ParseAsync(await engineer.SubmitAsync(link, page, ("username", "grace-hopper"), ("email", "grace@navy.test")));
            Assert.Equal(["Use your @example.com address."], TestClient.Errors(page));
            page = await PageAfterAsync(engineer, await engineer.SubmitAsync(link, page, ("username", "grace-hopper"), ("email", "grace@example.com")));
            Assert.Equal(["platform", "mobile"], Choices(page));
            await FollowAsync(engineer, await engineer.SubmitAsync(link, page, ("attributes.repository", "mobile")));
            var user = await app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "grace-hopper"));
            Assert.Equal("mobile", (string?)user.Attributes["repository"]);
        }

        // Sales: the engineering stage is skipped silently.
        using (var seller = app.NewClient())
        {
            var link = await InviteAsync(flowId, "bp-expr-sales", new JsonObject { ["name"] = "Sam Seller", ["department"] = "Sales" });
            var page = await PageAfterAsync(seller, await seller.SubmitAsync(link, ("username", "sam-seller"), ("email", "sam@example.com")));
            Assert.Null(page.QuerySelector("#flow-card select[name='attributes.repository']"));
            var user = await app.DbAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.UserName == "sam-seller"));
            Assert.Null(user.Attributes["repository"]);
        }

        // execution_logging: each run of the email policy is a policy_execution event with its result and messages.
        var executions = await app.DbAsync(async db => (await db.Events.AsNoTracking().Where(e => e.Action == "policy_execution").ToListAsync())
            .Where(e => (string?)e.Context["policy"]?["name"] == "bp-expr-email").ToList());
        Assert.Equal(3, executions.Count);
        Assert.Contains(executions, e => e.Context["result"]?["passing"]?.GetValue<bool>() == false
            && e.Context["result"]?["messages"]?[0]?.GetValue<string>() == "Use your @example.com address.");
    }

    private static List<string?> Choices(IHtmlDocument page) =>
        page.QuerySelectorAll("#flow-card select[name='attributes.repository'] option").Select(o => o.GetAttribute("value")).Where(v => v != "").ToList();

    [SkippableFact]
    public async Task A_syntax_error_in_an_imported_expression_names_the_entry_and_the_line_and_nothing_is_saved()
    {
        PythonAvailable.Require(app);
        const string yaml = """
            version: 1
            metadata: {name: broken expression}
            entries:
            - model: authentik_flows.flow
              id: flow
              identifiers: {slug: bp-expr-broken}
              attrs: {name: Broken, title: Broken, designation: enrollment}
            - model: authentik_policies_expression.expressionpolicy
              id: broken
              identifiers: {name: bp-expr-broken-policy}
              attrs:
                expression: |
                  prompt_data = context.get('prompt_data', {})
                  return prompt_data.get('email', ''.endswith('@example.com')
            - model: authentik_policies.policybinding
              identifiers: {target: !KeyOf flow, policy: !KeyOf broken, order: 0}
            """;
        var result = await app.ImportAsync(yaml);
        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Equal(1, error.Entry);
        Assert.Equal("expression", error.Field);
        Assert.StartsWith("Python syntax error on line 2 of the expression:", error.Message);
        Assert.Contains("entries[1] (id broken) authentik_policies_expression.expressionpolicy: field 'expression'", error.ToString());
        Assert.False(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Slug == "bp-expr-broken")));
        Assert.False(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Name == "bp-expr-broken-policy")));
    }
}
