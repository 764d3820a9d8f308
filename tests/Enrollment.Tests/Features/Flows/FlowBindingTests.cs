using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Flows;

public sealed class FlowBindingTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static (string, string)[] Settings(int order, string invalid = "retry") =>
        [("Input.Order", order.ToString()), ("Input.EvaluateOnPlan", "true"), ("Input.ReEvaluatePolicies", "false"),
         ("Input.InvalidResponseAction", invalid), ("Input.PolicyEngineMode", "all")];

    [Fact]
    public async Task Binding_a_new_stage_creates_it_and_binds_it_with_its_settings()
    {
        var flow = await app.FlowAsync("bind-new");
        using var client = await app.AdminClientAsync();
        var url = "/if/admin/flows/bind-new/bindings/";
        var response = await client.PostFormAsync(url,
            [.. Settings(10, "restart_with_context"), ("Input.NewStageKind", "invitation"), ("Input.NewStageName", "bind-new invitation")]);
        response.AssertRedirect(url);

        var binding = await app.DbAsync(db => db.FlowStageBindings.Include(b => b.Stage).SingleAsync(b => b.FlowId == flow.Id));
        Assert.IsType<InvitationStage>(binding.Stage);
        Assert.Equal(10, binding.Order);
        Assert.True(binding.EvaluateOnPlan);
        Assert.False(binding.ReEvaluatePolicies);
        Assert.Equal(InvalidResponseAction.RestartWithContext, binding.InvalidResponseAction);
        Assert.Equal(PolicyEngineMode.All, binding.PolicyEngineMode);

        var page = await client.GetPageAsync(url);
        Assert.Contains("bind-new invitation", page.QuerySelector("table")!.TextContent);
        // With an invitation stage bound, the flow's page no longer warns.
        var details = await client.GetPageAsync("/if/admin/flows/bind-new/");
        Assert.Null(details.QuerySelector(".warning"));
    }

    [Fact]
    public async Task Binding_an_existing_stage_then_editing_and_unbinding_it()
    {
        var flow = await app.FlowAsync("bind-existing");
        var stage = new UserLoginStage { Name = "bind-existing login" };
        await app.DbAsync(db => { db.Stages.Add(stage); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();
        var url = "/if/admin/flows/bind-existing/bindings/";
        (await client.PostFormAsync(url, [.. Settings(30), ("Input.StageId", stage.Id.ToString())])).AssertRedirect(url);
        var binding = await app.DbAsync(db => db.FlowStageBindings.SingleAsync(b => b.FlowId == flow.Id));

        var edit = $"/if/admin/flows/bind-existing/bindings/{binding.Id}/edit/";
        var editResponse = await client.PostFormAsync(edit, Settings(40, "restart"));
        Assert.True(editResponse.StatusCode == System.Net.HttpStatusCode.Redirect, string.Join(" | ", TestClient.Errors(await TestClient.ParseAsync(editResponse))));
        editResponse.AssertRedirect(url);
        var edited = await app.DbAsync(db => db.FlowStageBindings.AsNoTracking().SingleAsync(b => b.Id == binding.Id));
        Assert.Equal(40, edited.Order);
        Assert.Equal(InvalidResponseAction.Restart, edited.InvalidResponseAction);

        (await client.PostFormAsync(url, [], $"/if/admin/flows/bind-existing/bindings/{binding.Id}/delete/")).AssertRedirect(url);
        Assert.False(await app.DbAsync(db => db.FlowStageBindings.AnyAsync(b => b.Id == binding.Id)));
        Assert.True(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Id == stage.Id)), "unbinding keeps the stage");
    }

    [Fact]
    public async Task Same_stage_at_same_order_twice_is_refused()
    {
        var flow = await app.FlowAsync("bind-twice");
        var stage = new PromptStage { Name = "bind-twice prompt" };
        await app.DbAsync(db => { db.Stages.Add(stage); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();
        var url = "/if/admin/flows/bind-twice/bindings/";
        (await client.PostFormAsync(url, [.. Settings(10), ("Input.StageId", stage.Id.ToString())])).AssertRedirect(url);
        var again = await client.PostFormAsync(url, [.. Settings(10), ("Input.StageId", stage.Id.ToString())]);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("This stage is already bound to this flow at this order.", TestClient.Errors(await TestClient.ParseAsync(again)));
        Assert.Equal(1, await app.DbAsync(db => db.FlowStageBindings.CountAsync(b => b.FlowId == flow.Id)));
    }

    [Fact]
    public async Task Unknown_stage_or_no_stage_at_all_is_a_form_error()
    {
        var flow = await app.FlowAsync("bind-bad");
        using var client = await app.AdminClientAsync();
        var url = "/if/admin/flows/bind-bad/bindings/";
        var unknown = await client.PostFormAsync(url, [.. Settings(10), ("Input.StageId", Guid.NewGuid().ToString())]);
        Assert.Contains("That stage does not exist (any more).", TestClient.Errors(await TestClient.ParseAsync(unknown)));
        var none = await client.PostFormAsync(url, Settings(10));
        Assert.Contains("Choose an existing stage, or the kind and name of a new one.", TestClient.Errors(await TestClient.ParseAsync(none)));
        var unnamed = await client.PostFormAsync(url, [.. Settings(10), ("Input.NewStageKind", "prompt"), ("Input.NewStageName", " ")]);
        Assert.Contains("Enter a name for the new stage.", TestClient.Errors(await TestClient.ParseAsync(unnamed)));
        Assert.Equal(0, await app.DbAsync(db => db.FlowStageBindings.CountAsync(b => b.FlowId == flow.Id)));
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Name == " " || s.Name == "")));
    }

    [Fact]
    public async Task Group_and_user_policy_bindings_on_a_flow_and_on_a_stage_binding()
    {
        var flow = await app.FlowAsync("bind-policies", withInvitationStage: true);
        var group = new Group { Name = "bind-policies-group" };
        await app.DbAsync(db => { db.Groups.Add(group); return db.SaveChangesAsync(); });
        var stageBinding = await app.DbAsync(db => db.FlowStageBindings.SingleAsync(b => b.FlowId == flow.Id));
        using var client = await app.AdminClientAsync();

        var flowUrl = "/if/admin/flows/bind-policies/policies/";
        (await client.PostFormAsync(flowUrl, ("Input.GroupId", group.Id.ToString()), ("Input.Enabled", "true"), ("Input.Negate", "true"),
            ("Input.Order", "5"), ("Input.Timeout", "30"))).AssertRedirect(flowUrl);
        var stageUrl = $"/if/admin/flows/bind-policies/policies/{stageBinding.Id}/";
        (await client.PostFormAsync(stageUrl, ("Input.Username", "akadmin"), ("Input.Enabled", "true"), ("Input.Order", "0"),
            ("Input.Timeout", "10"), ("Input.FailureResult", "true"))).AssertRedirect(stageUrl);

        var onFlow = await app.DbAsync(db => db.PolicyBindings.SingleAsync(p => p.FlowId == flow.Id));
        Assert.Equal(group.Id, onFlow.GroupId);
        Assert.True(onFlow.Negate);
        var onStage = await app.DbAsync(db => db.PolicyBindings.Include(p => p.User).SingleAsync(p => p.FlowStageBindingId == stageBinding.Id));
        Assert.Equal("akadmin", onStage.User!.UserName);
        Assert.True(onStage.FailureResult);
        Assert.Equal(10, onStage.Timeout);

        var removed = await client.PostFormAsync(flowUrl, [], $"/if/admin/flows/bind-policies/policies/delete/{onFlow.Id}/");
        removed.AssertRedirect(flowUrl);
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(p => p.Id == onFlow.Id)));
    }

    [Fact]
    public async Task A_policy_binding_needs_exactly_one_subject_that_exists()
    {
        await app.FlowAsync("bind-policies-bad");
        using var client = await app.AdminClientAsync();
        var url = "/if/admin/flows/bind-policies-bad/policies/";
        var none = await client.PostFormAsync(url, ("Input.Enabled", "true"), ("Input.Order", "0"), ("Input.Timeout", "30"));
        Assert.Contains("Choose exactly one of policy, group or user.", TestClient.Errors(await TestClient.ParseAsync(none)));
        var ghost = await client.PostFormAsync(url, ("Input.Username", "nobody-here"), ("Input.Order", "0"), ("Input.Timeout", "30"));
        Assert.Contains("No user is named “nobody-here”.", TestClient.Errors(await TestClient.ParseAsync(ghost)));
        var timeout = await client.PostFormAsync(url, ("Input.Username", "akadmin"), ("Input.Order", "0"), ("Input.Timeout", "0"));
        Assert.Contains("Timeout must be between 1 and 3600 seconds.", TestClient.Errors(await TestClient.ParseAsync(timeout)));
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(p => p.Flow!.Slug == "bind-policies-bad")));
    }

    [Fact]
    public async Task Deleting_a_flow_removes_its_bindings_and_unlinks_its_invitations()
    {
        var flow = await app.FlowAsync("delete-me", withInvitationStage: true);
        var invitation = new Invitation { Name = "orphan", FlowId = flow.Id };
        await app.DbAsync(db =>
        {
            db.Invitations.Add(invitation);
            db.PolicyBindings.Add(new PolicyBinding { FlowId = flow.Id, UserId = 1 });
            return db.SaveChangesAsync();
        });
        using var client = await app.AdminClientAsync();
        var confirm = await client.GetPageAsync("/if/admin/flows/delete-me/delete/");
        Assert.Contains("1 invitation(s) point at this flow", confirm.QuerySelector(".warning")!.TextContent);
        (await client.PostFormAsync("/if/admin/flows/delete-me/delete/", [])).AssertRedirect("/if/admin/flows/");

        Assert.False(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Id == flow.Id)));
        Assert.False(await app.DbAsync(db => db.FlowStageBindings.AnyAsync(b => b.FlowId == flow.Id)));
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(p => p.FlowId == flow.Id)));
        Assert.Null((await app.DbAsync(db => db.Invitations.SingleAsync(i => i.Id == invitation.Id))).FlowId);
    }

    [Fact]
    public async Task Unknown_binding_ids_are_404()
    {
        await app.FlowAsync("bind-404");
        using var client = await app.AdminClientAsync();
        await client.GetPageAsync($"/if/admin/flows/bind-404/bindings/{Guid.NewGuid()}/edit/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/flows/bind-404/policies/{Guid.NewGuid()}/", HttpStatusCode.NotFound);
        await client.GetPageAsync("/if/admin/flows/no-such-flow/bindings/", HttpStatusCode.NotFound);
    }
}
