using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Flows;

/// <summary><c>/if/admin/flows/{slug}/policies/</c>: group, user and policy bindings on a flow and on its stage bindings.</summary>
[Collection(FlowsCollection.Name)]
public sealed class FlowPoliciesTests(Hosts.Default app)
{
    [Fact]
    public async Task Group_and_user_policy_bindings_on_a_flow_and_on_a_stage_binding()
    {
        var flow = await app.FlowAsync("bind-policies", withInvitationStage: true);
        var group = await GroupAsync(app, "bind-policies-group");
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
}
