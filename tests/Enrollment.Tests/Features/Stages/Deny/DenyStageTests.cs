using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.Blueprints;
using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Stages.Deny;

using Invitation = Enrollment.Domain.Invitation;

/// <summary>
/// authentik's deny stage: the flow ends there with the stage's message and nothing is written; bound with a policy,
/// it stops only the invitees the policy picks. Admin create/edit/bind, blueprints and the flow, JavaScript off and htmx.
/// </summary>
public sealed class DenyStageTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    /// <summary>Account prompt → (deny) → user write → user login, with an invitation stage first.</summary>
    private async Task<(Flow Flow, List<FlowStageBinding> Bindings)> GuardedFlowAsync(string slug, DenyStage deny, Action<int, FlowStageBinding>? configure = null)
    {
        var account = PromptStageOf($"{slug}-account", Field(slug, "username", PromptType.Username, 0), Field(slug, "email", PromptType.Email, 1),
            Field(slug, "password", PromptType.Password, 2), Field(slug, "password_repeat", PromptType.Password, 3));
        return await FlowAsync(app, slug,
            [new InvitationStage { Name = $"{slug}-invitation" }, account, deny, new UserWriteStage { Name = $"{slug}-write" }, new UserLoginStage { Name = $"{slug}-login" }],
            configure: configure);
    }

    private async Task<Invitation> InvitationAsync(Flow flow)
    {
        var invitation = new Invitation { Name = $"{flow.Slug}-inv", FlowId = flow.Id, SingleUse = true };
        await app.DbAsync(db => { db.Invitations.Add(invitation); return db.SaveChangesAsync(); });
        return invitation;
    }

    private static (string, string)[] Account(string username, string email) =>
        [("username", username), ("email", email), ("password", Password), ("password_repeat", Password)];

    private Task<bool> UserExistsAsync(string username) => app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == username));

    [Fact]
    public async Task Reaching_the_stage_ends_the_flow_with_its_message_and_writes_nothing()
    {
        var (flow, _) = await GuardedFlowAsync("deny-always", new DenyStage { Name = "deny-always-deny", DenyMessage = "Sign-ups are closed this week." });
        var invitation = await InvitationAsync(flow);
        using var client = app.NewClient();
        var url = $"{FlowUrl(flow)}?itoken={invitation.Id}";

        var page = await PageAfterAsync(client, await client.SubmitAsync(url, Account("deny-jane", "jane@example.com")));

        Assert.Equal("Sign-ups are closed this week.", Denial(page));
        Assert.Null(page.QuerySelector("#flow-card form"));
        Assert.False(await UserExistsAsync("deny-jane"));
        // Nothing written: the invitation is not used up and the plan is gone.
        var stored = await app.DbAsync(db => db.Invitations.AsNoTracking().SingleAsync(i => i.Id == invitation.Id));
        Assert.Equal(0, stored.Uses);
        Assert.False(await app.DbAsync(db => db.FlowPlans.AnyAsync(p => p.FlowId == flow.Id)));
        // Opening the link again starts over at the first form.
        var again = await client.GetPageAsync(url);
        Assert.NotNull(again.QuerySelector("#flow-card input[name=username]"));
    }

    [Fact]
    public async Task An_empty_message_denies_with_authentiks_default()
    {
        var (flow, _) = await FlowAsync(app, "deny-default", [new DenyStage { Name = "deny-default-deny", DenyMessage = "" }]);
        using var client = app.NewClient();
        var page = await client.GetPageAsync(FlowUrl(flow));
        Assert.Equal("Flow was denied", Denial(page));
        Assert.Equal("Flow was denied", DenyStage.DefaultMessage);
    }

    [Fact]
    public async Task With_htmx_the_denial_replaces_the_flow_card()
    {
        var (flow, _) = await GuardedFlowAsync("deny-htmx", new DenyStage { Name = "deny-htmx-deny", DenyMessage = "Not today." });
        var invitation = await InvitationAsync(flow);
        using var client = app.NewClient();
        var url = $"{FlowUrl(flow)}?itoken={invitation.Id}";
        var form = await client.GetPageAsync(url);
        var fields = Account("deny-htmx-jane", "jane@example.com").Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)).ToList();
        fields.Add(new("__RequestVerificationToken", TestClient.AntiforgeryToken(form)));
        fields.Add(new("stage", form.QuerySelector("#flow-card input[name=stage]")!.GetAttribute("value")!));
        using var request = new HttpRequestMessage(HttpMethod.Post, FlowUrl(flow)) { Content = new FormUrlEncodedContent(fields) };
        request.Headers.Add("HX-Request", "true");
        var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var card = await TestClient.ParseAsync(response);
        Assert.Equal("Not today.", Denial(card));
        Assert.False(await UserExistsAsync("deny-htmx-jane"));
    }

    [Fact]
    public async Task Bound_with_a_policy_it_stops_only_the_invitees_the_policy_picks()
    {
        // A group binding that never matches an anonymous invitee; negated, it passes for everyone…
        var group = new Group { Name = "deny-policy-nobody" };
        await app.DbAsync(db => { db.Groups.Add(group); return db.SaveChangesAsync(); });
        var (stopping, _) = await GuardedFlowAsync("deny-policy-on", new DenyStage { Name = "deny-policy-on-deny", DenyMessage = "Stopped." },
            (i, b) => { if (i == 2) { b.ReEvaluatePolicies = true; b.EvaluateOnPlan = false; b.PolicyBindings.Add(new PolicyBinding { GroupId = group.Id, Negate = true, Order = 0 }); } });
        // …and not negated it fails, so the deny stage is skipped and the invitee enrolls.
        var (passing, _) = await GuardedFlowAsync("deny-policy-off", new DenyStage { Name = "deny-policy-off-deny", DenyMessage = "Stopped." },
            (i, b) => { if (i == 2) { b.ReEvaluatePolicies = true; b.EvaluateOnPlan = false; b.PolicyBindings.Add(new PolicyBinding { GroupId = group.Id, Order = 0 }); } });

        using (var client = app.NewClient())
        {
            var page = await PageAfterAsync(client, await client.SubmitAsync($"{FlowUrl(stopping)}?itoken={(await InvitationAsync(stopping)).Id}", Account("deny-stopped", "s@example.com")));
            Assert.Equal("Stopped.", Denial(page));
        }
        using (var client = app.NewClient())
        {
            var chain = await FollowAsync(client, await client.SubmitAsync($"{FlowUrl(passing)}?itoken={(await InvitationAsync(passing)).Id}", Account("deny-passed", "p@example.com")));
            Assert.Equal("/if/user/", chain[^1].RequestMessage!.RequestUri!.AbsolutePath);
        }
        Assert.False(await UserExistsAsync("deny-stopped"));
        Assert.True(await UserExistsAsync("deny-passed"));
    }

    [Fact]
    public async Task An_expression_policy_on_its_binding_stops_addresses_outside_a_domain()
    {
        PythonAvailable.Require(app.Services.GetRequiredService<PythonExpressions>());
        var policy = new ExpressionPolicy
        {
            Name = "deny-outside-example",
            Expression = "return not request.context['prompt_data'].get('email', '').endswith('@example.com')",
        };
        await app.DbAsync(db => { db.Policies.Add(policy); return db.SaveChangesAsync(); });
        var (flow, _) = await GuardedFlowAsync("deny-domain", new DenyStage { Name = "deny-domain-deny", DenyMessage = "Use your example.com address." },
            (i, b) => { if (i == 2) { b.ReEvaluatePolicies = true; b.EvaluateOnPlan = false; b.PolicyBindings.Add(new PolicyBinding { PolicyId = policy.Id, Order = 0 }); } });

        using (var client = app.NewClient())
        {
            var page = await PageAfterAsync(client, await client.SubmitAsync($"{FlowUrl(flow)}?itoken={(await InvitationAsync(flow)).Id}", Account("deny-outsider", "o@elsewhere.test")));
            Assert.Equal("Use your example.com address.", Denial(page));
        }
        await app.DbAsync(db => db.Invitations.Where(i => i.FlowId == flow.Id).ExecuteDeleteAsync());
        using (var client = app.NewClient())
        {
            var chain = await FollowAsync(client, await client.SubmitAsync($"{FlowUrl(flow)}?itoken={(await InvitationAsync(flow)).Id}", Account("deny-insider", "i@example.com")));
            Assert.Equal("/if/user/", chain[^1].RequestMessage!.RequestUri!.AbsolutePath);
        }
        Assert.False(await UserExistsAsync("deny-outsider"));
        Assert.True(await UserExistsAsync("deny-insider"));
    }

    [Fact]
    public async Task Admins_create_edit_and_bind_deny_stages_without_javascript()
    {
        using var client = await app.AdminClientAsync();
        var list = await client.GetPageAsync("/if/admin/stages/");
        Assert.Contains(list.QuerySelectorAll(".create-menu a"), a => a.GetAttribute("href") == "/if/admin/stages/new/deny/" && a.TextContent == "Deny stage");

        var create = await client.GetPageAsync("/if/admin/stages/new/deny/");
        Assert.Equal("Flow was denied", create.QuerySelector("textarea[name='Input.DenyMessage']")!.TextContent.Trim());
        (await client.PostFormAsync("/if/admin/stages/new/deny/", ("Input.Name", "deny-admin"), ("Input.DenyMessage", "Closed for now.")))
            .AssertRedirect("/if/admin/stages/");
        var stage = await app.DbAsync(db => db.Set<DenyStage>().AsNoTracking().SingleAsync(s => s.Name == "deny-admin"));
        Assert.Equal("Closed for now.", stage.DenyMessage);
        var created = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "model_created").ToListAsync());
        Assert.Contains(created, e => (string?)e.Context["model"]?["app"] == "authentik_stages_deny" && (string?)e.Context["model"]?["model_name"] == "denystage");

        var edit = $"/if/admin/stages/{stage.Id}/edit/";
        Assert.Equal("Closed for now.", (await client.GetPageAsync(edit)).QuerySelector("textarea[name='Input.DenyMessage']")!.TextContent.Trim());
        var tooLong = await client.PostFormAsync(edit, ("Input.Name", "deny-admin"), ("Input.DenyMessage", new string('x', 1001)));
        Assert.Equal(HttpStatusCode.OK, tooLong.StatusCode);
        Assert.Contains("Use at most 1000 characters.", TestClient.Errors(await TestClient.ParseAsync(tooLong)));
        (await client.PostFormAsync(edit, ("Input.Name", "deny-admin"), ("Input.DenyMessage", ""))).AssertRedirect("/if/admin/stages/");
        Assert.Equal("Flow was denied", (await app.DbAsync(db => db.Set<DenyStage>().AsNoTracking().SingleAsync(s => s.Id == stage.Id))).DenyMessage);

        var flow = await app.FlowAsync("deny-bind");
        var bindings = "/if/admin/flows/deny-bind/bindings/";
        var offered = (await client.GetPageAsync(bindings)).QuerySelectorAll("select[name='Input.NewStageKind'] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(["", "invitation", "prompt", "user_write", "user_login", "email", "deny"], offered);
        (await client.PostFormAsync(bindings, ("Input.Order", "10"), ("Input.EvaluateOnPlan", "false"), ("Input.ReEvaluatePolicies", "true"),
            ("Input.InvalidResponseAction", "retry"), ("Input.PolicyEngineMode", "any"), ("Input.NewStageKind", "deny"), ("Input.NewStageName", "deny-bound")))
            .AssertRedirect(bindings);
        var bound = await app.DbAsync(db => db.FlowStageBindings.Include(b => b.Stage).AsNoTracking().SingleAsync(b => b.FlowId == flow.Id));
        Assert.Equal("Flow was denied", Assert.IsType<DenyStage>(bound.Stage).DenyMessage);
    }

    [Fact]
    public async Task Blueprints_import_and_export_deny_stages()
    {
        const string yaml = """
            version: 1
            entries:
              - model: authentik_flows.flow
                id: flow
                identifiers: { slug: deny-blueprint }
                attrs: { name: Deny blueprint, title: Deny blueprint, designation: enrollment }
              - model: authentik_stages_deny.denystage
                id: deny
                identifiers: { name: deny-blueprint-deny }
                attrs: { deny_message: "Only staff, please." }
              - model: authentik_flows.flowstagebinding
                identifiers: { target: !KeyOf flow, stage: !KeyOf deny, order: 10 }
            """;
        BlueprintResult result;
        await using (var scope = app.Services.CreateAsyncScope())
            result = await scope.ServiceProvider.GetRequiredService<BlueprintImporter>().ImportAsync(yaml, null, dryRun: false, CancellationToken.None);
        Assert.True(result.Success, result.ToString());
        Assert.Equal("Only staff, please.", (await app.DbAsync(db => db.Set<DenyStage>().AsNoTracking().SingleAsync(s => s.Name == "deny-blueprint-deny"))).DenyMessage);

        using var admin = await app.AdminClientAsync();
        var export = await admin.Http.GetStringAsync("/if/admin/flows/deny-blueprint/export/");
        Assert.Contains("- model: authentik_stages_deny.denystage\n  state: present\n  id: stage-deny-blueprint-deny\n  identifiers:\n    name: deny-blueprint-deny\n  attrs:\n    deny_message: Only staff, please.\n", export);

        using var visitor = app.NewClient();
        Assert.Equal("Only staff, please.", Denial(await visitor.GetPageAsync("/if/flow/deny-blueprint/")));
    }
}
