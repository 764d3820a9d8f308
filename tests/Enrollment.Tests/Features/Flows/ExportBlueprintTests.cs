using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Flows;

/// <summary>
/// <c>/if/admin/flows/{slug}/export/</c>: the flow with everything it is made of as a blueprint file, which
/// imports into an empty database and exports again to the same bytes.
/// </summary>
public sealed class ExportBlueprintTests(Hosts.WithoutDefaultBlueprints app) : IClassFixture<Hosts.WithoutDefaultBlueprints>
{
    /// <summary>Every model the export writes, with values YAML would misread if written carelessly.</summary>
    private const string Source = """
        version: 1
        metadata:
          name: export source
        entries:
        - model: authentik_flows.flow
          id: flow
          identifiers:
            slug: export-me
          attrs:
            name: "Export me: a flow"
            title: Welcome — ünïcode ✓
            designation: enrollment
            authentication: require_unauthenticated
            denied_action: message
            policy_engine_mode: all
        - model: authentik_core.group
          id: team
          identifiers:
            name: export-team
          attrs:
            attributes:
              department: Engineering
              level: 3
        - model: authentik_policies_expression.expressionpolicy
          id: policy
          identifiers:
            name: export-email-domain
          attrs:
            expression: |
              prompt_data = context.get('prompt_data', {})
              return prompt_data.get('email', '').endswith('@example.com')
        - model: authentik_policies_expression.expressionpolicy
          id: policy-invited
          identifiers:
            name: export-invited
          attrs:
            expression: return context.get('invitation_in_effect', False)
        - model: authentik_stages_prompt.prompt
          id: p-username
          identifiers:
            name: export-username
          attrs:
            field_key: username
            label: "10"
            type: username
            placeholder: "true"
            order: 0
        - model: authentik_stages_prompt.prompt
          id: p-email
          identifiers:
            name: export-email
          attrs:
            field_key: email
            label: 'Email: work'
            type: email
            required: false
            sub_text: "null"
            initial_value: "# not a comment"
            order: 1
        - model: authentik_stages_prompt.prompt
          id: p-choice
          identifiers:
            name: export-choice
          attrs:
            field_key: attributes.team
            label: Team
            type: dropdown
            placeholder: "['a', 'b']"
            placeholder_expression: true
            order: 2
        - model: authentik_stages_invitation.invitationstage
          id: s-invitation
          identifiers:
            name: export-invitation
          attrs:
            continue_flow_without_invitation: true
        - model: authentik_stages_prompt.promptstage
          id: s-prompt
          identifiers:
            name: export-prompt
          attrs:
            fields: [!KeyOf p-email, !KeyOf p-choice, !KeyOf p-username]
            validation_policies: [!KeyOf policy]
        - model: authentik_stages_user_write.userwritestage
          id: s-write
          identifiers:
            name: export-write
          attrs:
            user_creation_mode: always_create
            create_users_as_inactive: true
            create_users_group: !KeyOf team
            user_type: internal
            user_path_template: users/export
        - model: authentik_stages_user_login.userloginstage
          id: s-login
          identifiers:
            name: export-login
          attrs:
            session_duration: hours=8
            terminate_other_sessions: true
        - model: authentik_flows.flowstagebinding
          id: b-invitation
          identifiers: {target: !KeyOf flow, stage: !KeyOf s-invitation, order: 0}
          attrs:
            evaluate_on_plan: true
        - model: authentik_flows.flowstagebinding
          id: b-prompt
          identifiers: {target: !KeyOf flow, stage: !KeyOf s-prompt, order: 10}
          attrs:
            invalid_response_action: restart_with_context
            re_evaluate_policies: false
        - model: authentik_flows.flowstagebinding
          identifiers: {target: !KeyOf flow, stage: !KeyOf s-write, order: 20}
        - model: authentik_flows.flowstagebinding
          identifiers: {target: !KeyOf flow, stage: !KeyOf s-login, order: 100}
        - model: authentik_policies.policybinding
          identifiers: {target: !KeyOf flow, policy: !KeyOf policy-invited, order: 0}
          attrs: {negate: true, timeout: 10, failure_result: true}
        - model: authentik_policies.policybinding
          identifiers: {target: !KeyOf b-prompt, group: !KeyOf team, order: 5}
          attrs: {enabled: false}
        """;

    [Fact]
    public async Task Export_downloads_an_authentik_blueprint_file_of_the_flow()
    {
        await app.ImportCleanAsync(Source);
        using var admin = await app.AdminClientAsync();

        var response = await admin.Http.GetAsync("/if/admin/flows/export-me/export/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("flow-export-me.yaml", response.Content.Headers.ContentDisposition.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName);
        Assert.Equal("application/yaml", response.Content.Headers.ContentType!.MediaType);
        var yaml = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("version: 1\nmetadata:\n  name: ", yaml);
        Assert.DoesNotContain("\r", yaml);
        // Entries in a fixed order: the flow, groups it refers to, policies, prompts, stages, bindings, policy bindings.
        var models = yaml.Split('\n').Where(l => l.StartsWith("- model: ")).Select(l => l["- model: ".Length..]).ToList();
        Assert.Equal(
        [
            "authentik_flows.flow", "authentik_core.group",
            "authentik_policies_expression.expressionpolicy", "authentik_policies_expression.expressionpolicy",
            "authentik_stages_prompt.prompt", "authentik_stages_prompt.prompt", "authentik_stages_prompt.prompt",
            "authentik_stages_invitation.invitationstage", "authentik_stages_user_login.userloginstage",
            "authentik_stages_prompt.promptstage", "authentik_stages_user_write.userwritestage",
            "authentik_flows.flowstagebinding", "authentik_flows.flowstagebinding", "authentik_flows.flowstagebinding", "authentik_flows.flowstagebinding",
            "authentik_policies.policybinding", "authentik_policies.policybinding",
        ], models);
        Assert.Contains("  identifiers:\n    slug: export-me\n", yaml);
        Assert.Contains("    target: !KeyOf flow\n    stage: !KeyOf stage-export-prompt\n    order: 10\n", yaml);
        Assert.Contains("    create_users_group: !KeyOf group-export-team\n", yaml);
        Assert.Contains("    label: \"10\"\n", yaml);
        Assert.Contains("    placeholder: \"true\"\n", yaml);
        Assert.Contains("    label: 'Email: work'\n", yaml);
        Assert.Contains("    sub_text: \"null\"\n", yaml);
        // Multi-line text double-quoted with escapes, as PyYAML (authentik's export) writes it.
        Assert.Contains("    expression: \"prompt_data = context.get('prompt_data', {})\\nreturn prompt_data.get('email', '').endswith('@example.com')\\n\"\n", yaml);
        // A prompt stage's fields in the order they are shown.
        Assert.Contains("    fields:\n    - !KeyOf prompt-export-username\n    - !KeyOf prompt-export-email\n    - !KeyOf prompt-export-choice\n", yaml);
        Assert.Equal(yaml, await (await admin.Http.GetAsync("/if/admin/flows/export-me/export/")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Export_imported_into_an_empty_database_exports_again_to_the_same_bytes()
    {
        await app.ImportCleanAsync(Source);
        using var admin = await app.AdminClientAsync();
        var first = await admin.Http.GetStringAsync("/if/admin/flows/export-me/export/");

        await using var target = new Hosts.WithoutDefaultBlueprints();
        Assert.Equal(0, await target.DbAsync(db => db.Flows.CountAsync()));
        await target.ImportCleanAsync(first);
        using var targetAdmin = await target.AdminClientAsync();
        var second = await targetAdmin.Http.GetStringAsync("/if/admin/flows/export-me/export/");

        Assert.Equal(first, second);
        await target.DbAsync(async db =>
        {
            var flow = await db.Flows.Include(f => f.Bindings).Include(f => f.PolicyBindings).SingleAsync();
            Assert.Equal(("export-me", "Export me: a flow", PolicyEngineMode.All), (flow.Slug, flow.Name, flow.PolicyEngineMode));
            Assert.Equal([0, 10, 20, 100], flow.Bindings.Select(b => b.Order).Order());
            var policyBinding = Assert.Single(flow.PolicyBindings);
            Assert.Equal((true, 10, true), (policyBinding.Negate, policyBinding.Timeout, policyBinding.FailureResult));
            var prompt = await db.Prompts.SingleAsync(p => p.Name == "export-username");
            Assert.Equal(("10", "true"), (prompt.Label, prompt.Placeholder));
            var write = await db.Set<UserWriteStage>().Include(s => s.CreateUsersGroup).SingleAsync();
            Assert.Equal("export-team", write.CreateUsersGroup!.Name);
            Assert.Equal(3, write.CreateUsersGroup.Attributes["level"]!.GetValue<int>());
        });
    }

    [Fact]
    public async Task Importing_an_export_back_into_its_own_database_changes_nothing()
    {
        await app.ImportCleanAsync(Source);
        using var admin = await app.AdminClientAsync();
        var yaml = await admin.Http.GetStringAsync("/if/admin/flows/export-me/export/");

        var result = await app.ImportCleanAsync(yaml);

        Assert.All(result.Logs.Where(l => l.Entry is not null), l => Assert.StartsWith("unchanged", l.Message));
    }

    [Fact]
    public async Task The_flow_page_links_to_the_export_and_only_admins_may_download_it()
    {
        await app.ImportCleanAsync(Source);
        using var admin = await app.AdminClientAsync();
        var page = await admin.GetPageAsync("/if/admin/flows/export-me/");
        var link = page.QuerySelectorAll(".toolbar a").Single(a => a.TextContent.Trim() == "Export");
        Assert.Equal("/if/admin/flows/export-me/export/", link.GetAttribute("href"));

        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync("/if/admin/flows/no-such-flow/export/")).StatusCode);
        using var anonymous = app.NewClient();
        var denied = await anonymous.Http.GetAsync("/if/admin/flows/export-me/export/");
        Assert.NotEqual(HttpStatusCode.OK, denied.StatusCode);
    }

    [Fact]
    public async Task The_shipped_example_flows_export_and_round_trip_too()
    {
        await app.ImportCleanAsync(app.ShippedBlueprint("example/invitation-based-enrollment.yaml"));
        using var admin = await app.AdminClientAsync();
        var first = await admin.Http.GetStringAsync("/if/admin/flows/invitation-enrollment-engineering/export/");

        await using var target = new Hosts.WithoutDefaultBlueprints();
        await target.ImportCleanAsync(first);
        using var targetAdmin = await target.AdminClientAsync();
        Assert.Equal(first, await targetAdmin.Http.GetStringAsync("/if/admin/flows/invitation-enrollment-engineering/export/"));
        Assert.Contains("  identifiers:\n    name: engineering-team\n", first);
    }
}
