using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

/// <summary>Policies on stage bindings (evaluate_on_plan, re_evaluate_policies) and invalid_response_action.</summary>
public sealed class StageBindingPolicyTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    /// <summary>Three prompt stages asking for <c>first</c>, <c>second</c> and <c>third</c> in turn.</summary>
    private async Task<(Flow Flow, List<FlowStageBinding> Bindings)> ThreeStagesAsync(string slug, Action<int, FlowStageBinding> configure) =>
        await FlowAsync(app, slug,
        [
            PromptStageOf($"{slug}-1", Field(slug, "first")),
            PromptStageOf($"{slug}-2", Field(slug, "second")),
            PromptStageOf($"{slug}-3", Field(slug, "third")),
        ], configure: configure);

    private static string? Shown(IHtmlDocument page) =>
        page.QuerySelector("#flow-card input[name=first], #flow-card input[name=second], #flow-card input[name=third]")?.GetAttribute("name");

    [Fact]
    public async Task Evaluate_on_plan_leaves_a_failing_stage_out_silently()
    {
        var admin = await app.DbAsync(db => db.Users.SingleAsync(u => u.UserName == "akadmin"));
        var (flow, bindings) = await ThreeStagesAsync("binding-plan", (i, b) =>
        {
            if (i == 0) { b.EvaluateOnPlan = true; b.ReEvaluatePolicies = false; }
        });
        await BindAsync(app, new PolicyBinding { FlowStageBindingId = bindings[0].Id, UserId = admin.Id });
        using var client = app.NewClient();

        var page = await client.GetPageAsync(FlowUrl(flow));
        Assert.Equal("second", Shown(page));
        Assert.Empty(TestClient.Errors(page));
        var planned = await app.DbAsync(db => db.FlowPlans.AsNoTracking().SingleAsync(p => p.FlowId == flow.Id));
        Assert.DoesNotContain(bindings[0].Id.ToString(), planned.Bindings.Select(b => (string?)b));

        // The admin passes the same binding: the stage is in their plan.
        using var adminClient = await app.AdminClientAsync();
        Assert.Equal("first", Shown(await adminClient.GetPageAsync(FlowUrl(flow))));
    }

    [Fact]
    public async Task Re_evaluate_policies_skips_a_failing_stage_silently_when_it_is_reached()
    {
        var admin = await app.DbAsync(db => db.Users.SingleAsync(u => u.UserName == "akadmin"));
        var (flow, bindings) = await ThreeStagesAsync("binding-reeval", (i, b) =>
        {
            if (i == 1) { b.EvaluateOnPlan = false; b.ReEvaluatePolicies = true; }
        });
        await BindAsync(app, new PolicyBinding { FlowStageBindingId = bindings[1].Id, UserId = admin.Id });
        using var client = app.NewClient();

        var page = await client.GetPageAsync(FlowUrl(flow));
        Assert.Equal("first", Shown(page));
        var planned = await app.DbAsync(db => db.FlowPlans.AsNoTracking().SingleAsync(p => p.FlowId == flow.Id));
        Assert.Contains(bindings[1].Id.ToString(), planned.Bindings.Select(b => (string?)b)); // planned, skipped only when reached

        page = await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), page, ("first", "one")));
        Assert.Equal("third", Shown(page));
        Assert.Empty(TestClient.Errors(page));
    }

    [Fact]
    public async Task Re_evaluation_happens_when_the_stage_is_reached_with_the_pending_user()
    {
        const string slug = "binding-reeval-pending";
        var group = await GroupAsync(app, $"{slug}-group");
        var (flow, bindings) = await FlowAsync(app, slug,
        [
            PromptStageOf($"{slug}-account", Field(slug, "username", PromptType.Username)),
            new UserWriteStage { Name = $"{slug}-write", CreateUsersGroupId = group.Id },
            PromptStageOf($"{slug}-members", Field(slug, "attributes.members_only")),
        ]);
        // Anonymous at planning time (not a member), the new user once the stage is reached (a member).
        await BindAsync(app, new PolicyBinding { FlowStageBindingId = bindings[2].Id, GroupId = group.Id });
        using var client = app.NewClient();

        var page = await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), ("username", "reeval-jane")));
        Assert.NotNull(page.QuerySelector("#flow-card input[name='attributes.members_only']"));
    }

    [Fact]
    public async Task Re_evaluation_without_a_pending_user_asks_about_the_signed_in_user()
    {
        const string slug = "binding-reeval-signed-in";
        var group = await GroupAsync(app, $"{slug}-group");
        await CreateUserAsync(app, $"{slug}-member", group);
        var (flow, bindings) = await ThreeStagesAsync(slug, (i, b) =>
        {
            if (i == 1) { b.EvaluateOnPlan = false; b.ReEvaluatePolicies = true; }
        });
        await BindAsync(app, new PolicyBinding { FlowStageBindingId = bindings[1].Id, GroupId = group.Id });

        using var member = await SignedInAsync(app, $"{slug}-member");
        var page = await PageAfterAsync(member, await member.SubmitAsync(FlowUrl(flow), ("first", "one")));
        Assert.Equal("second", Shown(page));

        using var anonymous = app.NewClient();
        page = await PageAfterAsync(anonymous, await anonymous.SubmitAsync(FlowUrl(flow), ("first", "one")));
        Assert.Equal("third", Shown(page));
    }

    [Fact]
    public async Task Restart_starts_the_flow_over_with_prompt_data_cleared()
    {
        var (flow, _) = await ThreeStagesAsync("binding-restart", (i, b) =>
        {
            if (i == 1) b.InvalidResponseAction = InvalidResponseAction.Restart;
        });
        using var client = app.NewClient();
        var page = await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), ("first", "kept?")));
        Assert.Equal("second", Shown(page));

        var response = await client.SubmitAsync(FlowUrl(flow), page, ("second", ""));
        response.AssertRedirect(FlowUrl(flow));
        page = await PageAfterAsync(client, response);
        Assert.Equal("first", Shown(page));
        Assert.True(string.IsNullOrEmpty(page.QuerySelector("#flow-card input[name=first]")!.GetAttribute("value")));
    }

    [Fact]
    public async Task Restart_with_context_goes_back_to_the_first_stage_keeping_what_was_entered()
    {
        var (flow, _) = await ThreeStagesAsync("binding-restart-context", (i, b) =>
        {
            if (i == 1) b.InvalidResponseAction = InvalidResponseAction.RestartWithContext;
        });
        using var client = app.NewClient();
        var page = await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), ("first", "kept!")));
        Assert.Equal("second", Shown(page));

        var response = await client.SubmitAsync(FlowUrl(flow), page, ("second", ""));
        response.AssertRedirect(FlowUrl(flow));
        page = await PageAfterAsync(client, response);
        Assert.Equal("first", Shown(page));
        Assert.Equal("kept!", page.QuerySelector("#flow-card input[name=first]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Retry_shows_the_same_stage_with_its_errors()
    {
        var (flow, _) = await ThreeStagesAsync("binding-retry", (_, _) => { });
        using var client = app.NewClient();
        var page = await PageAfterAsync(client, await client.SubmitAsync(FlowUrl(flow), ("first", "one")));
        var response = await client.SubmitAsync(FlowUrl(flow), page, ("second", ""));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        page = await TestClient.ParseAsync(response);
        Assert.Equal("second", Shown(page));
        Assert.Contains("This field is required.", TestClient.Errors(page));
    }
}
