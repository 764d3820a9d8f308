using System.Net;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Infrastructure.FlowExecution;
using Enrollment.Infrastructure.Python;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>
/// Expression policies in real flows over HTTP, JavaScript off: the three snippets of authentik's documentation
/// verbatim, flow policies with their messages per <c>denied_action</c>, stage bindings (<c>evaluate_on_plan</c>,
/// <c>re_evaluate_policies</c>), negate, order, any/all mixed with group and user bindings, timeouts, exceptions
/// and syntax errors counting as <c>failure_result</c> with a <c>policy_exception</c> event.
/// </summary>
public sealed class ExpressionPolicyFlowTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private const string StaffOnly = """
        if not ak_is_group_member(request.user, name='expr-staff'):
            ak_message('Only staff may use this flow.')
            return False
        return True
        """;


    private static string Denied(params string[] messages) => string.Join(" ", messages.Prepend(PolicyMessages.NotAllowed));

    /// <summary>The invitee's page is an ordinary page: no error status, no Python traceback, no .NET stack trace.</summary>
    private static async Task<IHtmlDocument> OpenCleanAsync(TestClient client, string url)
    {
        var response = await client.Http.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {TestClient.Excerpt(html)}");
        Assert.DoesNotContain("Traceback", html);
        Assert.DoesNotContain("Error:", html);
        Assert.DoesNotContain("   at ", html);
        return await TestClient.ParseAsync(response);
    }

    private Task<List<JsonObject>> EventsAsync(string action, string policyName) => app.DbAsync(async db =>
        (await db.Events.AsNoTracking().Where(e => e.Action == action).ToListAsync())
            .Select(e => e.Context).Where(c => (string?)c["policy"]?["name"] == policyName).ToList());

    // ---- the three documented snippets, verbatim ----

    [SkippableFact]
    public async Task Invitation_snippet_on_the_prompt_stage_binding_lets_only_invited_users_enroll()
    {
        PythonAvailable.Require(app);
        const string slug = "expr-invited";
        var (flow, bindings) = await FlowAsync(app, slug,
        [
            new InvitationStage { Name = $"{slug}-invitation", ContinueFlowWithoutInvitation = true },
            PromptStageOf($"{slug}-account", Field(slug, "username", PromptType.Username)),
            new UserWriteStage { Name = $"{slug}-write" },
            new UserLoginStage { Name = $"{slug}-login" },
        ]);
        // Flow policies run at planning, before the invitation stage: the snippet belongs on a later stage binding,
        // re-evaluated when that stage is reached (re_evaluate_policies, the default).
        Assert.True(bindings[1].ReEvaluatePolicies);
        await BindAsync(app, new PolicyBinding { FlowStageBindingId = bindings[1].Id, Policy = Policy($"{slug}-policy", InvitedSnippet) });
        var invitation = await InvitationAsync(app, $"{slug}-invite", flow.Id, singleUse: false);

        using (var invited = app.NewClient())
        {
            var link = $"{FlowUrl(flow)}?itoken={invitation.Id}";
            var page = await OpenCleanAsync(invited, link);
            Assert.NotNull(page.QuerySelector("#flow-card input[name=username]"));
            await FollowAsync(invited, await invited.SubmitAsync(link, page, ("username", "expr-invited-jane")));
            Assert.True(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "expr-invited-jane")));
        }

        using var uninvited = app.NewClient();
        var denied = await OpenCleanAsync(uninvited, FlowUrl(flow));
        Assert.Null(denied.QuerySelector("#flow-card input[name=username]")); // the prompt stage was skipped
        Assert.Equal("No Pending data.", Denial(denied)); // and nothing can be written
    }

    [SkippableFact]
    public async Task Invitation_snippet_evaluated_on_plan_only_leaves_the_stage_out_for_everyone()
    {
        PythonAvailable.Require(app);
        const string slug = "expr-invited-plan";
        var (flow, bindings) = await FlowAsync(app, slug,
        [
            new InvitationStage { Name = $"{slug}-invitation", ContinueFlowWithoutInvitation = true },
            PromptStageOf($"{slug}-guarded", Field(slug, "attributes.guarded")),
            PromptStageOf($"{slug}-open", Field(slug, "attributes.open")),
        ], configure: (i, b) =>
        {
            if (i == 1) { b.EvaluateOnPlan = true; b.ReEvaluatePolicies = false; }
        });
        await BindAsync(app, new PolicyBinding { FlowStageBindingId = bindings[1].Id, Policy = Policy($"{slug}-policy", InvitedSnippet) });
        var invitation = await InvitationAsync(app, $"{slug}-invite", flow.Id, singleUse: false);

        // At planning no invitation is in effect yet, so even an invited user's plan leaves the stage out.
        using var invited = app.NewClient();
        var page = await OpenCleanAsync(invited, $"{FlowUrl(flow)}?itoken={invitation.Id}");
        Assert.Null(page.QuerySelector("#flow-card input[name='attributes.guarded']"));
        Assert.NotNull(page.QuerySelector("#flow-card input[name='attributes.open']"));
    }

    [SkippableFact]
    public async Task Department_snippet_lets_only_engineering_invitations_reach_the_stage()
    {
        PythonAvailable.Require(app);
        const string slug = "expr-department";
        var (flow, bindings) = await FlowAsync(app, slug,
        [
            new InvitationStage { Name = $"{slug}-invitation" },
            PromptStageOf($"{slug}-account", Field(slug, "username", PromptType.Username)),
            PromptStageOf($"{slug}-engineering", Field(slug, "attributes.repository")),
            new UserWriteStage { Name = $"{slug}-write" },
        ]);
        await BindAsync(app, new PolicyBinding { FlowStageBindingId = bindings[2].Id, Policy = Policy($"{slug}-policy", DepartmentSnippet) });

        async Task<IHtmlDocument> AfterAccountAsync(string department, string username)
        {
            var invitation = await InvitationAsync(app, $"{slug}-{department}", flow.Id, singleUse: false, fixedData: new JsonObject { ["department"] = department });
            using var client = app.NewClient();
            var link = $"{FlowUrl(flow)}?itoken={invitation.Id}";
            var page = await OpenCleanAsync(client, link);
            return await PageAfterAsync(client, await client.SubmitAsync(link, page, ("username", username)));
        }

        var engineering = await AfterAccountAsync("Engineering", "expr-dept-eng");
        Assert.NotNull(engineering.QuerySelector("#flow-card input[name='attributes.repository']"));

        var sales = await AfterAccountAsync("Sales", "expr-dept-sales");
        Assert.Null(sales.QuerySelector("#flow-card input[name='attributes.repository']"));
        Assert.Empty(TestClient.Errors(sales)); // skipped silently; the flow went on to the end
        Assert.True(await app.DbAsync(db => db.Users.AnyAsync(u => u.UserName == "expr-dept-sales")));
    }

    [SkippableFact]
    public async Task Email_snippet_as_a_validation_policy_refuses_other_domains_and_shows_its_message_with_the_form()
    {
        PythonAvailable.Require(app);
        const string slug = "expr-email";
        var withMessage = EmailSnippet.Replace("return prompt_data", "if not prompt_data") + ":\n    ak_message('Please use your @example.com address.')\n    return False\nreturn True";
        var stage = PromptStageOf(slug, Field(slug, "email", PromptType.Email));
        stage.ValidationPolicies.Add(Policy($"{slug}-domain", withMessage));
        var verbatim = PromptStageOf($"{slug}-second", Field($"{slug}-second", "attributes.backup_email", PromptType.Email));
        verbatim.ValidationPolicies.Add(Policy($"{slug}-second-domain", EmailSnippet));
        var (flow, _) = await FlowAsync(app, slug, [stage, verbatim, PromptStageOf($"{slug}-after", Field(slug, "attributes.after"))]);
        using var client = app.NewClient();

        var page = await OpenCleanAsync(client, FlowUrl(flow));
        var response = await client.SubmitAsync(FlowUrl(flow), page, ("email", "jane@evil.test"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        page = await TestClient.ParseAsync(response);
        Assert.Equal("Please use your @example.com address.", page.QuerySelector("#flow-card [role=alert] li")?.TextContent.Trim());
        Assert.Equal("jane@evil.test", page.QuerySelector("#flow-card input[name=email]")!.GetAttribute("value"));

        page = await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), page, ("email", "jane@example.com")));
        Assert.NotNull(page.QuerySelector("#flow-card input[name='attributes.backup_email']"));

        // The verbatim snippet checks prompt_data's email (the one entered on the stage before): it passes here.
        page = await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), page, ("attributes.backup_email", "jane@elsewhere.test")));
        Assert.NotNull(page.QuerySelector("#flow-card input[name='attributes.after']"));
    }

    [SkippableFact]
    public async Task Email_snippet_verbatim_without_a_message_says_the_values_were_not_accepted()
    {
        PythonAvailable.Require(app);
        const string slug = "expr-email-verbatim";
        var stage = PromptStageOf(slug, Field(slug, "email", PromptType.Email));
        stage.ValidationPolicies.Add(Policy($"{slug}-domain", EmailSnippet));
        var (flow, _) = await FlowAsync(app, slug, [stage, PromptStageOf($"{slug}-after", Field(slug, "attributes.after"))]);
        using var client = app.NewClient();

        var page = await TestClient.ParseAsync(await client.SubmitAsync(FlowUrl(flow), ("email", "jane@evil.test")));
        Assert.Equal([PolicyMessages.NotAccepted], TestClient.Errors(page));
        page = await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), page, ("email", "jane@example.com")));
        Assert.NotNull(page.QuerySelector("#flow-card input[name='attributes.after']"));
    }

    [SkippableFact]
    public async Task A_validation_policy_can_look_up_users_with_ak_user_by()
    {
        PythonAvailable.Require(app);
        const string slug = "expr-user-by";
        await CreateUserAsync(app, "expr-user-by-existing"); // email expr-user-by-existing@example.com
        var stage = PromptStageOf(slug, Field(slug, "email", PromptType.Email));
        stage.ValidationPolicies.Add(Policy($"{slug}-free-email", """
            existing = ak_user_by(email=context['prompt_data']['email'])
            if existing:
                ak_message(f'{existing.username} already uses this address.')
                return False
            return True
            """));
        var (flow, _) = await FlowAsync(app, slug, [stage, PromptStageOf($"{slug}-after", Field(slug, "attributes.after"))]);
        using var client = app.NewClient();

        var page = await TestClient.ParseAsync(await client.SubmitAsync(FlowUrl(flow), ("email", "expr-user-by-existing@example.com")));
        Assert.Equal(["expr-user-by-existing already uses this address."], TestClient.Errors(page));
        page = await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), page, ("email", "someone-new@example.com")));
        Assert.NotNull(page.QuerySelector("#flow-card input[name='attributes.after']"));
    }

    // ---- flow policies and denied_action ----

    [SkippableFact]
    public async Task A_flow_policy_denies_with_its_ak_message_and_lets_members_in()
    {
        PythonAvailable.Require(app);
        var staff = await GroupAsync(app, "expr-staff");
        await CreateUserAsync(app, "expr-staff-member", staff);
        var flow = await GuardedFlowAsync(app, "expr-flow-message", f => f.DeniedAction = DeniedAction.Message);
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Policy = Policy("expr-flow-message-staff", StaffOnly) });

        using var anonymous = app.NewClient();
        var page = await OpenCleanAsync(anonymous, FlowUrl(flow));
        Assert.False(Allowed(page));
        Assert.Equal(Denied("Only staff may use this flow."), Denial(page));

        using var member = await SignedInAsync(app, "expr-staff-member");
        Assert.True(Allowed(await OpenCleanAsync(member, FlowUrl(flow))));
    }

    [SkippableTheory]
    [InlineData(DeniedAction.Message, false, null)]
    [InlineData(DeniedAction.Message, true, null)]
    [InlineData(DeniedAction.MessageContinue, false, null)]
    [InlineData(DeniedAction.MessageContinue, true, "/if/user/settings")]
    [InlineData(DeniedAction.Continue, false, "/")]
    [InlineData(DeniedAction.Continue, true, "/if/user/settings")]
    public async Task Denied_action_decides_between_the_message_and_following_next(DeniedAction action, bool withNext, string? redirect)
    {
        PythonAvailable.Require(app);
        var slug = $"expr-denied-{Wire.Name(action)}-{(withNext ? "next" : "plain")}".Replace('_', '-');
        var flow = await GuardedFlowAsync(app, slug, f => f.DeniedAction = action);
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Policy = Policy($"{slug}-no", "ak_message('Closed for today.')\nreturn False") });
        using var client = app.NewClient();
        var url = FlowUrl(flow) + (withNext ? "?next=%2Fif%2Fuser%2Fsettings" : "");

        var response = await client.Http.GetAsync(url);
        if (redirect is null)
        {
            var page = await TestClient.ParseAsync(response);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(Denied("Closed for today."), Denial(page));
        }
        else
        {
            response.AssertRedirect(redirect);
            Assert.Equal(redirect, response.Headers.Location!.OriginalString);
        }
    }

    [SkippableFact]
    public async Task An_absolute_next_is_never_followed_on_denial()
    {
        PythonAvailable.Require(app);
        var flow = await GuardedFlowAsync(app, "expr-denied-absolute", f => f.DeniedAction = DeniedAction.MessageContinue);
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Policy = Policy("expr-denied-absolute-no", "return False") });
        using var client = app.NewClient();
        var page = await OpenCleanAsync(client, FlowUrl(flow) + "?next=https%3A%2F%2Fevil.test%2F");
        Assert.Equal(Denied(), Denial(page));
    }

    // ---- stage bindings ----

    [SkippableFact]
    public async Task Evaluate_on_plan_and_re_evaluate_policies_use_the_context_of_their_moment()
    {
        PythonAvailable.Require(app);
        const string slug = "expr-moments";
        // "first" is entered on stage 1; stage 2 is planned only for signed-in users (known at planning) and stage 3
        // is re-evaluated when reached, so it can read what stage 1 put into prompt_data.
        var (flow, bindings) = await FlowAsync(app, slug,
        [
            PromptStageOf($"{slug}-1", Field(slug, "first")),
            PromptStageOf($"{slug}-2", Field(slug, "second")),
            PromptStageOf($"{slug}-3", Field(slug, "third")),
        ], configure: (i, b) =>
        {
            if (i == 1) { b.EvaluateOnPlan = true; b.ReEvaluatePolicies = false; }
        });
        await BindAsync(app, new PolicyBinding { FlowStageBindingId = bindings[1].Id, Policy = Policy($"{slug}-signed-in", "return request.user.is_authenticated") });
        await BindAsync(app, new PolicyBinding { FlowStageBindingId = bindings[2].Id, Policy = Policy($"{slug}-said-yes", "return context['prompt_data'].get('first') == 'yes'") });

        async Task<string?> AfterFirstAsync(TestClient client, string first)
        {
            var page = await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), ("first", first)));
            return page.QuerySelector("#flow-card input[name=second], #flow-card input[name=third]")?.GetAttribute("name");
        }

        using (var anonymous = app.NewClient()) Assert.Equal("third", await AfterFirstAsync(anonymous, "yes"));
        using (var anonymous = app.NewClient()) Assert.Null(await AfterFirstAsync(anonymous, "no")); // both skipped: done
        using var admin = await app.AdminClientAsync();
        Assert.Equal("second", await AfterFirstAsync(admin, "no"));
    }

    // ---- negate, order, any/all, group and user bindings ----

    [SkippableFact]
    public async Task Negate_flips_an_expression_but_keeps_its_messages()
    {
        PythonAvailable.Require(app);
        var flow = await GuardedFlowAsync(app, "expr-negate");
        await BindAsync(app, new PolicyBinding
        {
            FlowId = flow.Id, Negate = true,
            Policy = Policy("expr-negate-anonymous", "ak_message('Signed-in users only.')\nreturn not request.user.is_authenticated"),
        });

        using var anonymous = app.NewClient();
        Assert.Equal(Denied("Signed-in users only."), Denial(await OpenCleanAsync(anonymous, FlowUrl(flow))));
        using var admin = await app.AdminClientAsync();
        Assert.True(Allowed(await OpenCleanAsync(admin, FlowUrl(flow))));
    }

    [SkippableFact]
    public async Task Messages_come_in_the_order_of_the_bindings()
    {
        PythonAvailable.Require(app);
        var flow = await GuardedFlowAsync(app, "expr-order", f => f.PolicyEngineMode = PolicyEngineMode.All);
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Order = 20, Policy = Policy("expr-order-b", "ak_message('Second.')\nreturn False") });
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Order = 10, Policy = Policy("expr-order-a", "ak_message('First.')\nreturn False") });
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Order = 30, Enabled = false, Policy = Policy("expr-order-off", "ak_message('Disabled.')\nreturn False") });
        using var client = app.NewClient();
        Assert.Equal(Denied("First.", "Second."), Denial(await OpenCleanAsync(client, FlowUrl(flow))));
    }

    [SkippableTheory]
    [InlineData(PolicyEngineMode.Any, "member", true)]
    [InlineData(PolicyEngineMode.Any, "chosen", true)]
    [InlineData(PolicyEngineMode.Any, "nobody", false)]
    [InlineData(PolicyEngineMode.All, "member", false)]
    [InlineData(PolicyEngineMode.All, "both", true)]
    public async Task Any_and_all_combine_expressions_with_group_and_user_bindings(PolicyEngineMode mode, string role, bool allowed)
    {
        PythonAvailable.Require(app);
        var slug = $"expr-mix-{Wire.Name(mode)}-{role}";
        var group = await GroupAsync(app, $"{slug}-group");
        var user = await CreateUserAsync(app, slug, role is "member" or "both" ? [group] : []);
        var chosen = role is "chosen" or "both" ? user : await CreateUserAsync(app, $"{slug}-someone-else");
        var flow = await GuardedFlowAsync(app, slug, f => f.PolicyEngineMode = mode);
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Order = 0, GroupId = group.Id });
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Order = 1, UserId = chosen.Id });
        await BindAsync(app, new PolicyBinding
        {
            FlowId = flow.Id, Order = 2,
            Policy = Policy($"{slug}-list", "ok = request.user.username.endswith(('-both', '-chosen'))\nif not ok:\n    ak_message('Not on the list.')\nreturn ok"),
        });

        using var client = await SignedInAsync(app, slug);
        var page = await OpenCleanAsync(client, FlowUrl(flow));
        Assert.Equal(allowed, Allowed(page));
        if (!allowed) Assert.Equal(Denied("Not on the list."), Denial(page));
    }

    // ---- failures: timeout, exception, syntax error ----

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_endless_loop_is_stopped_at_the_binding_timeout_and_failure_result_applies(bool failureResult)
    {
        PythonAvailable.Require(app);
        var slug = $"expr-timeout-{failureResult.ToString().ToLowerInvariant()}";
        var flow = await GuardedFlowAsync(app, slug);
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Timeout = 1, FailureResult = failureResult, Policy = Policy($"{slug}-loop", "while True:\n    pass") });
        using var client = app.NewClient();

        var page = await OpenCleanAsync(client, FlowUrl(flow));
        Assert.Equal(failureResult, Allowed(page));
        if (!failureResult) Assert.Equal(Denied(PolicyMessages.CouldNotCheck), Denial(page));
        var recorded = Assert.Single(await EventsAsync("policy_exception", $"{slug}-loop"));
        Assert.True((bool)recorded["timed_out"]!);
    }

    [SkippableTheory]
    [InlineData(false, false, false)]
    [InlineData(true, false, true)]
    [InlineData(false, true, false)] // the failure result is final: negate does not flip it (as authentik)
    public async Task An_exception_counts_as_failure_result_and_is_recorded_with_the_policy_and_its_line(bool failureResult, bool negate, bool allowed)
    {
        PythonAvailable.Require(app);
        var slug = $"expr-raise-{failureResult}-{negate}".ToLowerInvariant();
        var flow = await GuardedFlowAsync(app, slug);
        await BindAsync(app, new PolicyBinding
        {
            FlowId = flow.Id, FailureResult = failureResult, Negate = negate,
            Policy = Policy($"{slug}-policy", "team = context.get('team')\nreturn team['lead'] == 'jane'"),
        });
        using var client = app.NewClient();

        var page = await OpenCleanAsync(client, FlowUrl(flow));
        Assert.Equal(allowed, Allowed(page));
        if (!allowed) Assert.Equal(Denied(PolicyMessages.CouldNotCheck), Denial(page));

        var recorded = Assert.Single(await EventsAsync("policy_exception", $"{slug}-policy"));
        Assert.Equal(2, (int)recorded["line"]!);
        Assert.Equal("TypeError: 'NoneType' object is not subscriptable", (string?)recorded["message"]);

        // The admin reads it under Events.
        using var admin = await app.AdminClientAsync();
        var events = await admin.GetPageAsync("/if/admin/events/?action=policy_exception");
        var row = events.QuerySelectorAll("#event-rows tbody tr").Select(r => r.TextContent).FirstOrDefault(t => t.Contains($"{slug}-policy"));
        Assert.NotNull(row);
        Assert.Contains("NoneType", row);
    }

    [SkippableFact]
    public async Task A_stored_expression_with_a_syntax_error_counts_as_failure_result()
    {
        PythonAvailable.Require(app);
        const string slug = "expr-syntax";
        var flow = await GuardedFlowAsync(app, slug);
        // Stored as it stands (an older import, a database edit): it can never run.
        await BindAsync(app, new PolicyBinding { FlowId = flow.Id, Policy = Policy($"{slug}-broken", "x = 1\nreturn (x") });
        var passing = await GuardedFlowAsync(app, $"{slug}-passing");
        await BindAsync(app, new PolicyBinding { FlowId = passing.Id, FailureResult = true, Policy = Policy($"{slug}-broken-passing", "x = 1\nreturn (x") });
        using var client = app.NewClient();

        Assert.Equal(Denied(PolicyMessages.CouldNotCheck), Denial(await OpenCleanAsync(client, FlowUrl(flow))));
        Assert.True(Allowed(await OpenCleanAsync(client, FlowUrl(passing))));
        var recorded = Assert.Single(await EventsAsync("policy_exception", $"{slug}-broken"));
        Assert.StartsWith("SyntaxError", (string?)recorded["message"]);
        Assert.Equal(2, (int)recorded["line"]!);
    }

    [SkippableFact]
    public async Task A_failing_validation_policy_says_the_entries_could_not_be_checked()
    {
        PythonAvailable.Require(app);
        const string slug = "expr-validation-raise";
        var stage = PromptStageOf(slug, Field(slug, "email", PromptType.Email));
        stage.ValidationPolicies.Add(Policy($"{slug}-policy", "return context['prompt_data']['missing']"));
        var (flow, _) = await FlowAsync(app, slug, [stage, PromptStageOf($"{slug}-after", Field(slug, "attributes.after"))]);
        using var client = app.NewClient();

        var response = await client.SubmitAsync(FlowUrl(flow), ("email", "jane@example.com"));
        var html = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("KeyError", html);
        Assert.Equal([PolicyMessages.EntriesCouldNotCheck], TestClient.Errors(await TestClient.ParseAsync(response)));
        Assert.Single(await EventsAsync("policy_exception", $"{slug}-policy"));
    }
}
