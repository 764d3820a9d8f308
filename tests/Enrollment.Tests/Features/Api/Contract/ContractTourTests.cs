using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Tests.Kit;
using Enrollment.Tests.Kit.OpenApi;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Api.Contract;

/// <summary>
/// Walks every operation of authentik's API that Enrollment implements for flows, bindings, stages, prompts, policies,
/// events and the root endpoints, as a script would: create, read, list, update, partial update, delete. Every
/// answer is checked against authentik's OpenAPI document by the client's <see cref="ContractCheckingHandler"/>; the
/// test then asserts that each of those operations answered with success at least once.
/// </summary>
public sealed class ContractTourTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    /// <summary>The operations this tour must have exercised (authentik's operation ids).</summary>
    public static readonly string[] Operations =
    [
        "root_config_retrieve", "admin_version_retrieve",
        "flows_instances_list", "flows_instances_create", "flows_instances_retrieve", "flows_instances_update",
        "flows_instances_partial_update", "flows_instances_destroy", "flows_instances_export_retrieve", "flows_instances_diagram_retrieve",
        "flows_bindings_list", "flows_bindings_create", "flows_bindings_retrieve", "flows_bindings_update", "flows_bindings_partial_update",
        "flows_bindings_destroy",
        "stages_all_list", "stages_all_retrieve", "stages_all_destroy", "stages_all_types_list",
        .. Crud("stages_invitation_stages"), .. Crud("stages_prompt_stages"), .. Crud("stages_prompt_prompts"),
        .. Crud("stages_user_write"), .. Crud("stages_user_login"), .. Crud("stages_email"), .. Crud("stages_deny"),
        .. Crud("policies_expression"), .. Crud("policies_password"), .. Crud("policies_bindings"),
        "events_events_list", "events_events_retrieve", "events_events_actions_list",
    ];

    private static string[] Crud(string prefix) =>
        [$"{prefix}_list", $"{prefix}_create", $"{prefix}_retrieve", $"{prefix}_update", $"{prefix}_partial_update", $"{prefix}_destroy"];

    [Fact]
    public async Task Every_implemented_operation_answers_as_authentiks_schema_says()
    {
        var checker = new ContractCheckingHandler();
        using var c = app.ApiClient(checker);
        var p = ApiJsonClient.Unique("tour");

        Assert.Empty((await c.GetJsonAsync("/api/v3/root/config/"))["capabilities"]!.AsArray());
        Assert.False((bool)(await c.GetJsonAsync("/api/v3/admin/version/"))["outdated"]!);

        // Flows
        var flow = await c.Post("/api/v3/flows/instances/", $$"""{"name":"Tour","slug":"{{p}}","title":"Welcome","designation":"enrollment"}""");
        Assert.Equal(flow.Pk(), (string)flow["policybindingmodel_ptr_id"]!);
        flow = await c.Put($"/api/v3/flows/instances/{p}/", $$"""{"name":"Tour 2","slug":"{{p}}","title":"Welcome 2","designation":"enrollment","layout":"sidebar_left"}""");
        Assert.Equal("sidebar_left", (string)flow["layout"]!);
        flow = await c.Patch($"/api/v3/flows/instances/{p}/", """{"denied_action":"continue"}""");
        Assert.Equal(("Tour 2", "continue"), ((string)flow["name"]!, (string)flow["denied_action"]!));
        Assert.Equal(p, (string)Assert.Single((await c.GetJsonAsync($"/api/v3/flows/instances/?slug={p}")).Results())!["slug"]!);

        // Stages of every kind, each created, replaced and patched
        var group = await app.AddGroupAsync(p + "-group");
        var invitationStage = await StageAsync(c, "/api/v3/stages/invitation/stages/", $"{p}-inv", """{"continue_flow_without_invitation":true}""", """{"continue_flow_without_invitation":false}""");
        var prompt = await c.Post("/api/v3/stages/prompt/prompts/", $$"""{"name":"{{p}}-email","field_key":"email","label":"Email","type":"email","order":1}""");
        prompt = await c.Put($"/api/v3/stages/prompt/prompts/{prompt.Pk()}/", $$"""{"name":"{{p}}-email","field_key":"email","label":"E-mail","type":"email","required":true,"order":2}""");
        prompt = await c.Patch($"/api/v3/stages/prompt/prompts/{prompt.Pk()}/", """{"placeholder":"you@example.com"}""");
        Assert.Equal(("E-mail", "you@example.com"), ((string)prompt["label"]!, (string)prompt["placeholder"]!));
        Assert.Equal([prompt.Pk()], (await c.GetJsonAsync($"/api/v3/stages/prompt/prompts/?name={p}-email")).Strings("pk"));
        var promptStage = await StageAsync(c, "/api/v3/stages/prompt/stages/", $"{p}-prompt", $$"""{"fields":["{{prompt.Pk()}}"]}""", $$"""{"fields":["{{prompt.Pk()}}"],"validation_policies":[]}""");
        prompt = await c.GetJsonAsync($"/api/v3/stages/prompt/prompts/{prompt.Pk()}/");
        Assert.Equal(promptStage.Pk(), (string)Assert.Single(prompt["prompt_stages_obj"]!.AsArray())!["pk"]!);
        var write = await StageAsync(c, "/api/v3/stages/user_write/", $"{p}-write", $$"""{"user_type":"internal","create_users_group":"{{group.Id}}"}""", """{"user_path_template":"users/tour"}""");
        var login = await StageAsync(c, "/api/v3/stages/user_login/", $"{p}-login", """{"session_duration":"hours=1"}""", """{"terminate_other_sessions":true}""");
        var email = await StageAsync(c, "/api/v3/stages/email/", $"{p}-email", """{"from_address":"tour@example.com","subject":"Hi","template":"email/account_confirmation.html","password":"secret"}""", """{"token_expiry":"hours=1"}""");
        Assert.Null(email["password"]); // write-only
        Assert.Equal("minutes=60", (string)email["token_expiry"]!);
        var deny = await StageAsync(c, "/api/v3/stages/deny/", $"{p}-deny", """{"deny_message":"No."}""", """{"deny_message":"Not you."}""");

        // Bindings
        var binding = await c.Post("/api/v3/flows/bindings/", $$"""{"target":"{{flow.Pk()}}","stage":"{{invitationStage.Pk()}}","order":10}""");
        binding = await c.Put($"/api/v3/flows/bindings/{binding.Pk()}/", $$"""{"target":"{{flow.Pk()}}","stage":"{{invitationStage.Pk()}}","order":5,"evaluate_on_plan":true}""");
        binding = await c.Patch($"/api/v3/flows/bindings/{binding.Pk()}/", """{"invalid_response_action":"restart"}""");
        Assert.Equal((5, "restart"), ((int)binding["order"]!, (string)binding["invalid_response_action"]!));
        Assert.Equal(invitationStage.Pk(), (string)binding["stage_obj"]!["pk"]!);
        Assert.Equal(binding.Pk(), (await c.GetJsonAsync($"/api/v3/flows/bindings/{binding.Pk()}/")).Pk());
        var promptBinding = await c.Post("/api/v3/flows/bindings/", $$"""{"target":"{{flow.Pk()}}","stage":"{{promptStage.Pk()}}","order":20}""");
        Assert.Equal(2, (await c.GetJsonAsync($"/api/v3/flows/bindings/?target={flow.Pk()}")).Results().Count);
        Assert.Equal([binding.Pk()], (await c.GetJsonAsync($"/api/v3/flows/bindings/?target={flow.Pk()}&stage={invitationStage.Pk()}")).Strings("pk"));
        flow = await c.GetJsonAsync($"/api/v3/flows/instances/{p}/");
        Assert.Equal([invitationStage.Pk(), promptStage.Pk()], flow["stages"]!.AsArray().Select(s => (string)s!).ToList());
        var stageInFlow = await c.GetJsonAsync($"/api/v3/stages/invitation/stages/{invitationStage.Pk()}/");
        Assert.Equal(p, (string)Assert.Single(stageInFlow["flow_set"]!.AsArray())!["slug"]!);
        Assert.Contains("graph TD", (string)(await c.GetJsonAsync($"/api/v3/flows/instances/{p}/diagram/"))["diagram"]!);
        var export = await c.GetAsync($"/api/v3/flows/instances/{p}/export/");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Contains($"slug: {p}", await export.Content.ReadAsStringAsync());

        // Policies and their bindings
        var policy = await c.Post("/api/v3/policies/expression/", $$"""{"name":"{{p}}-policy","expression":"return True"}""");
        policy = await c.Put($"/api/v3/policies/expression/{policy.Pk()}/", $$"""{"name":"{{p}}-policy","expression":"return False","execution_logging":true}""");
        policy = await c.Patch($"/api/v3/policies/expression/{policy.Pk()}/", """{"expression":"return True"}""");
        var policyBinding = await c.Post("/api/v3/policies/bindings/", $$"""{"policy":"{{policy.Pk()}}","target":"{{flow.Pk()}}","order":0}""");
        policyBinding = await c.Put($"/api/v3/policies/bindings/{policyBinding.Pk()}/", $$"""{"policy":"{{policy.Pk()}}","target":"{{binding.Pk()}}","order":1,"negate":true}""");
        policyBinding = await c.Patch($"/api/v3/policies/bindings/{policyBinding.Pk()}/", """{"timeout":5}""");
        Assert.Equal((binding.Pk(), 5, true), ((string)policyBinding["target"]!, (int)policyBinding["timeout"]!, (bool)policyBinding["negate"]!));
        Assert.Equal(1, (int)(await c.GetJsonAsync($"/api/v3/policies/expression/{policy.Pk()}/"))["bound_to"]!);
        Assert.Equal([policy.Pk()], (await c.GetJsonAsync($"/api/v3/policies/expression/?search={p}")).Strings("pk"));
        Assert.Equal(policyBinding.Pk(), (await c.GetJsonAsync($"/api/v3/policies/bindings/{policyBinding.Pk()}/")).Pk());
        var passwordPolicy = await c.Post("/api/v3/policies/password/", $$"""{"name":"{{p}}-password","length_min":10}""");
        passwordPolicy = await c.Put($"/api/v3/policies/password/{passwordPolicy.Pk()}/", $$"""{"name":"{{p}}-password","check_zxcvbn":true,"zxcvbn_score_threshold":2}""");
        passwordPolicy = await c.Patch($"/api/v3/policies/password/{passwordPolicy.Pk()}/", """{"hibp_allowed_count":3}""");
        Assert.Equal([passwordPolicy.Pk()], (await c.GetJsonAsync($"/api/v3/policies/password/?search={p}")).Strings("pk"));
        Assert.Equal(3, (int)(await c.GetJsonAsync($"/api/v3/policies/password/{passwordPolicy.Pk()}/"))["hibp_allowed_count"]!);
        var passwordBinding = await c.Post("/api/v3/policies/bindings/", $$"""{"policy":"{{passwordPolicy.Pk()}}","target":"{{flow.Pk()}}","order":3,"enabled":false}""");
        Assert.Equal("ak-policy-password-form", (string)passwordBinding["policy_obj"]!["component"]!);
        await c.Delete($"/api/v3/policies/password/{passwordPolicy.Pk()}/");
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(b => b.Id == Guid.Parse(passwordBinding.Pk()))));
        var groupBinding = await c.Post("/api/v3/policies/bindings/", $$"""{"group":"{{group.Id}}","target":"{{flow.Pk()}}","order":2}""");
        Assert.Equal(group.Name, (string)groupBinding["group_obj"]!["name"]!);
        Assert.Equal([policyBinding.Pk()], (await c.GetJsonAsync($"/api/v3/policies/bindings/?target={binding.Pk()}")).Strings("pk"));

        // The all-stages view and its types
        Assert.Contains(deny.Pk(), (await c.GetJsonAsync($"/api/v3/stages/all/?search={p}&page_size=100")).Strings("pk"));
        Assert.Equal("ak-stage-deny-form", (string)(await c.GetJsonAsync($"/api/v3/stages/all/{deny.Pk()}/"))["component"]!);
        Assert.Contains("ak-stage-prompt-form", (await c.GetJsonAsync("/api/v3/stages/all/types/")).AsArray().Select(t => (string)t!["component"]!));

        // Events: every change above was recorded
        var events = await c.GetJsonAsync($"/api/v3/events/events/?action=model_created&context_model_pk={policy.Pk()}");
        var created = Assert.Single(events.Results())!;
        Assert.Equal("expressionpolicy", (string)created["context"]!["model"]!["model_name"]!);
        Assert.Equal("akadmin", (string)created["user"]!["username"]!);
        Assert.Equal(created.Pk(), (await c.GetJsonAsync($"/api/v3/events/events/{created.Pk()}/")).Pk());
        Assert.NotEmpty((await c.GetJsonAsync("/api/v3/events/events/?username=akadmin&context_model_app=authentik_flows")).Results());
        Assert.Contains("model_created", (await c.GetJsonAsync("/api/v3/events/events/actions/")).AsArray().Select(a => (string)a!["description"]!));

        // Deletes, through the same commands as the admin pages
        await c.Delete($"/api/v3/policies/bindings/{groupBinding.Pk()}/");
        await c.Delete($"/api/v3/policies/expression/{policy.Pk()}/");
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(b => b.Id == Guid.Parse(policyBinding.Pk()))));
        await c.Delete($"/api/v3/flows/bindings/{promptBinding.Pk()}/");
        await c.Delete($"/api/v3/stages/all/{deny.Pk()}/");
        await c.Delete($"/api/v3/stages/deny/{(await c.Post("/api/v3/stages/deny/", $$"""{"name":"{{p}}-deny3"}""")).Pk()}/");
        foreach (var (path, stage) in new[]
        {
            ("/api/v3/stages/prompt/stages/", promptStage), ("/api/v3/stages/user_write/", write), ("/api/v3/stages/user_login/", login),
            ("/api/v3/stages/email/", email),
        })
            await c.Delete($"{path}{stage.Pk()}/");
        await c.Delete($"/api/v3/stages/prompt/prompts/{prompt.Pk()}/");
        await c.Delete($"/api/v3/flows/instances/{p}/");
        Assert.False(await app.DbAsync(db => db.FlowStageBindings.AnyAsync(b => b.Id == Guid.Parse(binding.Pk()))));
        await c.Delete($"/api/v3/stages/invitation/stages/{invitationStage.Pk()}/");
        var another = await c.Post("/api/v3/flows/bindings/", $$"""{"target":"{{(await c.Post("/api/v3/flows/instances/", $$$"""{"name":"Tour","slug":"{{{p}}}-b","title":"t","designation":"enrollment"}"""))!.Pk()}}","stage":"{{(await c.Post("/api/v3/stages/deny/", $$$"""{"name":"{{{p}}}-deny2"}""")).Pk()}}","order":1}""");
        await c.Delete($"/api/v3/flows/bindings/{another.Pk()}/");

        var missing = Operations.Where(o => !checker.Seen.ContainsKey(o)).ToList();
        Assert.True(missing.Count == 0, "Not exercised with success: " + string.Join(", ", missing));
    }

    /// <summary>Creates a stage with <paramref name="fields"/>, replaces it (PUT, the same fields), patches it, and lists and retrieves it.</summary>
    private static async Task<JsonNode> StageAsync(HttpClient c, string path, string name, string fields, string patch)
    {
        var body = JsonNode.Parse(fields)!.AsObject();
        body["name"] = name;
        var stage = await c.Post(path, body.ToJsonString());
        Assert.Equal(name, (string)stage["name"]!);
        stage = await c.Put($"{path}{stage.Pk()}/", body.ToJsonString());
        stage = await c.Patch($"{path}{stage.Pk()}/", patch);
        Assert.Equal(stage.Pk(), (string)Assert.Single((await c.GetJsonAsync($"{path}?name={name}")).Results())!["pk"]!);
        return await c.GetJsonAsync($"{path}{stage.Pk()}/");
    }
}
