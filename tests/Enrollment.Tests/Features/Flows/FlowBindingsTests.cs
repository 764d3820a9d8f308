using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Flows;

/// <summary><c>/if/admin/flows/{slug}/bindings/</c>: binding a new or an existing stage, editing and unbinding it.</summary>
[Collection(FlowsCollection.Name)]
public sealed class FlowBindingsTests(Hosts.Default app)
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
    public async Task Unknown_binding_ids_are_404()
    {
        await app.FlowAsync("bind-404");
        using var client = await app.AdminClientAsync();
        await client.GetPageAsync($"/if/admin/flows/bind-404/bindings/{Guid.NewGuid()}/edit/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/flows/bind-404/policies/{Guid.NewGuid()}/", HttpStatusCode.NotFound);
        await client.GetPageAsync("/if/admin/flows/no-such-flow/bindings/", HttpStatusCode.NotFound);
    }
}
