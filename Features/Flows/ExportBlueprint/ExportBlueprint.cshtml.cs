using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Flows.ExportBlueprint;

/// <summary>
/// Downloads a flow as an authentik blueprint (YAML, version 1): the flow, its stage bindings, their stages, the
/// prompts of its prompt stages, the policy bindings of the flow and of its stage bindings, and their policies.
/// Objects are identified as authentik does (flow by slug, stages, prompts, policies and groups by name), entries
/// refer to each other with <c>!KeyOf</c>; order and formatting are deterministic, so exporting the same flow
/// twice, or after a round trip through an import, gives the same bytes.
/// </summary>
public sealed class ExportBlueprint(ISender sender) : PageModel
{
    [FromRoute] public string Slug { get; set; } = "";

    public async Task<IActionResult> OnGetAsync()
    {
        var yaml = await sender.Send(new Query(Slug));
        if (yaml is null) return NotFound();
        return File(System.Text.Encoding.UTF8.GetBytes(yaml), "application/yaml; charset=utf-8", $"flow-{Slug}.yaml");
    }

    public sealed record Query(string Slug) : IQuery<string?>;

    internal sealed class Handler(AppDbContext db) : IQueryHandler<Query, string?>
    {
        public async ValueTask<string?> Handle(Query query, CancellationToken ct)
        {
            var flow = await db.Flows.AsNoTracking().AsSplitQuery()
                .Include(f => f.Bindings).ThenInclude(b => b.Stage)
                .Include(f => f.Bindings).ThenInclude(b => b.PolicyBindings)
                .Include(f => f.PolicyBindings)
                .SingleOrDefaultAsync(f => f.Slug == query.Slug, ct);
            if (flow is null) return null;

            var stageIds = flow.Bindings.Select(b => b.StageId).Distinct().ToList();
            var promptStages = await db.Set<PromptStage>().AsNoTracking().AsSplitQuery()
                .Include(s => s.Fields).Include(s => s.ValidationPolicies)
                .Where(s => stageIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
            var stages = flow.Bindings.Select(b => promptStages.TryGetValue(b.StageId, out var p) ? p : b.Stage)
                .DistinctBy(s => s.Id).OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
            var prompts = promptStages.Values.SelectMany(s => s.Fields).DistinctBy(p => p.Id).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

            var bindings = flow.Bindings.OrderBy(b => b.Order).ThenBy(b => b.Stage.Name, StringComparer.Ordinal).ToList();
            var policyBindings = flow.PolicyBindings.OrderBy(p => p.Order).Select(p => (Target: "flow", Binding: p))
                .Concat(bindings.SelectMany(b => b.PolicyBindings.OrderBy(p => p.Order).Select(p => (Target: BindingId(b), Binding: p))))
                .ToList();

            var policyIds = policyBindings.Where(p => p.Binding.PolicyId is not null).Select(p => p.Binding.PolicyId!.Value)
                .Concat(promptStages.Values.SelectMany(s => s.ValidationPolicies).Select(p => p.Id)).Distinct().ToList();
            var policies = await db.Policies.AsNoTracking().Where(p => policyIds.Contains(p.Id)).ToListAsync(ct);
            var groupIds = policyBindings.Where(p => p.Binding.GroupId is not null).Select(p => p.Binding.GroupId!.Value)
                .Concat(stages.OfType<UserWriteStage>().Where(s => s.CreateUsersGroupId is not null).Select(s => s.CreateUsersGroupId!.Value))
                .Distinct().ToList();
            var groups = await db.Groups.AsNoTracking().Where(g => groupIds.Contains(g.Id)).ToListAsync(ct);
            var userIds = policyBindings.Where(p => p.Binding.UserId is not null).Select(p => p.Binding.UserId!.Value).Distinct().ToList();
            var usernames = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.UserName ?? "", ct);

            var policyNames = policies.ToDictionary(p => p.Id, p => p.Name);
            var groupNames = groups.ToDictionary(g => g.Id, g => g.Name);

            var w = new BlueprintWriter();
            w.Map();
            w.Key("version").Number(1);
            w.Key("metadata").Map()
                .Key("name").Text($"Flow {flow.Name} ({flow.Slug})")
                .Key("labels").Map().Key("blueprints.goauthentik.io/generated").Text("true").EndMap()
                .EndMap();
            w.Key("entries").List();

            Entry(w, "authentik_flows.flow", "flow", i => i.Key("slug").Text(flow.Slug), a => a
                .Key("name").Text(flow.Name)
                .Key("title").Text(flow.Title)
                .Key("designation").Text(Wire.Name(flow.Designation))
                .Key("authentication").Text(Wire.Name(flow.Authentication))
                .Key("denied_action").Text(Wire.Name(flow.DeniedAction))
                .Key("layout").Text(Wire.Name(flow.Layout))
                .Key("policy_engine_mode").Text(Wire.Name(flow.PolicyEngineMode)));

            // Groups are referred to, not owned: created when missing, never changed on import.
            foreach (var g in groups.OrderBy(g => g.Name, StringComparer.Ordinal))
                Entry(w, "authentik_core.group", GroupId(g.Name), i => i.Key("name").Text(g.Name), a => a
                    .Key("is_superuser").Flag(g.IsSuperuser)
                    .Key("attributes").Json(g.Attributes), state: "created");

            foreach (var p in policies.OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                if (p is not ExpressionPolicy expression) continue;
                Entry(w, "authentik_policies_expression.expressionpolicy", PolicyId(p.Name), i => i.Key("name").Text(p.Name), a => a
                    .Key("expression").Text(expression.Expression)
                    .Key("execution_logging").Flag(p.ExecutionLogging));
            }

            foreach (var p in prompts)
                Entry(w, "authentik_stages_prompt.prompt", PromptId(p.Name), i => i.Key("name").Text(p.Name), a => a
                    .Key("field_key").Text(p.FieldKey)
                    .Key("label").Text(p.Label)
                    .Key("type").Text(Wire.Name(p.Type))
                    .Key("required").Flag(p.Required)
                    .Key("placeholder").Text(p.Placeholder)
                    .Key("placeholder_expression").Flag(p.PlaceholderExpression)
                    .Key("initial_value").Text(p.InitialValue)
                    .Key("initial_value_expression").Flag(p.InitialValueExpression)
                    .Key("sub_text").Text(p.SubText)
                    .Key("order").Number(p.Order));

            foreach (var stage in stages)
                Entry(w, StageModel(stage), StageId(stage.Name), i => i.Key("name").Text(stage.Name), a => StageAttrs(a, stage, groupNames));

            foreach (var b in bindings)
                Entry(w, "authentik_flows.flowstagebinding", BindingId(b), i => i
                    .Key("target").KeyOf("flow")
                    .Key("stage").KeyOf(StageId(b.Stage.Name))
                    .Key("order").Number(b.Order), a => a
                    .Key("evaluate_on_plan").Flag(b.EvaluateOnPlan)
                    .Key("re_evaluate_policies").Flag(b.ReEvaluatePolicies)
                    .Key("invalid_response_action").Text(Wire.Name(b.InvalidResponseAction))
                    .Key("policy_engine_mode").Text(Wire.Name(b.PolicyEngineMode)));

            foreach (var (target, pb) in policyBindings)
                Entry(w, "authentik_policies.policybinding", null, i =>
                {
                    i.Key("target").KeyOf(target);
                    if (pb.PolicyId is { } policy) i.Key("policy").KeyOf(PolicyId(policyNames[policy]));
                    if (pb.GroupId is { } group) i.Key("group").KeyOf(GroupId(groupNames[group]));
                    if (pb.UserId is { } user) i.Key("user").Find("authentik_core.user", "username", usernames.GetValueOrDefault(user, ""));
                    i.Key("order").Number(pb.Order);
                }, a => a
                    .Key("enabled").Flag(pb.Enabled)
                    .Key("negate").Flag(pb.Negate)
                    .Key("timeout").Number(pb.Timeout)
                    .Key("failure_result").Flag(pb.FailureResult));

            w.EndList();
            w.EndMap();
            return w.Finish();
        }

        private static void Entry(BlueprintWriter w, string model, string? id, Action<BlueprintWriter> identifiers, Action<BlueprintWriter> attrs, string state = "present")
        {
            w.Map().Key("model").Text(model).Key("state").Text(state);
            if (id is not null) w.Key("id").Text(id);
            w.Key("identifiers").Map();
            identifiers(w);
            w.EndMap();
            w.Key("attrs").Map();
            attrs(w);
            w.EndMap();
            w.EndMap();
        }

        private static string StageModel(Stage stage) => stage switch
        {
            InvitationStage => "authentik_stages_invitation.invitationstage",
            PromptStage => "authentik_stages_prompt.promptstage",
            UserWriteStage => "authentik_stages_user_write.userwritestage",
            UserLoginStage => "authentik_stages_user_login.userloginstage",
            EmailStage => "authentik_stages_email.emailstage",
            _ => throw new NotSupportedException($"No blueprint model for stage kind {stage.Kind}."),
        };

        private static void StageAttrs(BlueprintWriter a, Stage stage, IReadOnlyDictionary<Guid, string> groupNames)
        {
            switch (stage)
            {
                case InvitationStage s:
                    a.Key("continue_flow_without_invitation").Flag(s.ContinueFlowWithoutInvitation);
                    break;
                case PromptStage s:
                    a.Key("fields").List();
                    foreach (var p in s.Fields.OrderBy(p => p.Order).ThenBy(p => p.Name, StringComparer.Ordinal)) a.KeyOf(PromptId(p.Name));
                    a.EndList();
                    a.Key("validation_policies").List();
                    foreach (var p in s.ValidationPolicies.OrderBy(p => p.Name, StringComparer.Ordinal)) a.KeyOf(PolicyId(p.Name));
                    a.EndList();
                    break;
                case UserWriteStage s:
                    a.Key("user_creation_mode").Text(Wire.Name(s.UserCreationMode))
                        .Key("create_users_as_inactive").Flag(s.CreateUsersAsInactive);
                    a.Key("create_users_group");
                    if (s.CreateUsersGroupId is { } g) a.KeyOf(GroupId(groupNames[g])); else a.Null();
                    a.Key("user_type").Text(Wire.Name(s.UserType))
                        .Key("user_path_template").Text(s.UserPathTemplate);
                    break;
                case UserLoginStage s:
                    a.Key("session_duration").Text(s.SessionDuration)
                        .Key("remember_me_offset").Text(s.RememberMeOffset)
                        .Key("terminate_other_sessions").Flag(s.TerminateOtherSessions);
                    break;
                case EmailStage s:
                    // No password: a blueprint file is no place for a secret. A re-import (state present) keeps the stored one.
                    a.Key("use_global_settings").Flag(s.UseGlobalSettings)
                        .Key("host").Text(s.Host)
                        .Key("port").Number(s.Port)
                        .Key("username").Text(s.Username)
                        .Key("use_tls").Flag(s.UseTls)
                        .Key("use_ssl").Flag(s.UseSsl)
                        .Key("timeout").Number(s.Timeout)
                        .Key("from_address").Text(s.FromAddress)
                        .Key("token_expiry").Number(s.TokenExpiry)
                        .Key("subject").Text(s.Subject)
                        .Key("template").Text(s.Template)
                        .Key("activate_user_on_success").Flag(s.ActivateUserOnSuccess);
                    break;
            }
        }

        private static string StageId(string name) => "stage-" + name;
        private static string PromptId(string name) => "prompt-" + name;
        private static string PolicyId(string name) => "policy-" + name;
        private static string GroupId(string name) => "group-" + name;
        private static string BindingId(FlowStageBinding b) => $"binding-{b.Order}-{b.Stage.Name}";
    }
}
