using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Features.Policies.PolicyPages;

namespace Enrollment.Tests.Features.Policies;

/// <summary><c>/if/admin/policies/{id}/delete/</c>: where the policy is used, then its bindings and validation links go with it.</summary>
[Collection(PoliciesCollection.Name)]
public sealed class DeletePolicyTests(Hosts.Default app)
{
    [Fact]
    public async Task Deleting_shows_where_the_policy_is_used_then_removes_its_bindings_and_validation_links()
    {
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Doomed policy");
        var keep = await CreateAsync(app, client, "Surviving policy");
        var (flowBinding, stageBinding, stageId) = await app.DbAsync(async db =>
        {
            var policies = await db.Policies.Where(p => p.Id == id || p.Id == keep).ToListAsync();
            var flow = new Flow { Name = "Delete usage flow", Slug = "delete-usage-flow" };
            var stage = new PromptStage { Name = "delete-usage-prompts", ValidationPolicies = policies };
            var binding = new FlowStageBinding { Flow = flow, Stage = stage, Order = 10 };
            var onFlow = new PolicyBinding { Flow = flow, PolicyId = id };
            var onStage = new PolicyBinding { FlowStageBinding = binding, PolicyId = id };
            db.AddRange(flow, stage, binding, onFlow, onStage, new PolicyBinding { Flow = flow, PolicyId = keep, Order = 1 });
            await db.SaveChangesAsync();
            return (onFlow.Id, onStage.Id, stage.Id);
        });

        var confirm = await client.GetPageAsync($"/if/admin/policies/{id}/delete/");
        var usage = confirm.QuerySelector("#policy-usage")!.TextContent;
        Assert.Contains("2 binding(s)", usage);
        Assert.Contains("Delete usage flow › delete-usage-prompts", usage);
        Assert.Contains("delete-usage-prompts", usage);
        Assert.Contains("prompt stage validation", usage);

        (await client.PostFormAsync($"/if/admin/policies/{id}/delete/")).AssertRedirect("/if/admin/policies/");
        Assert.False(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Id == id)));
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(b => b.Id == flowBinding || b.Id == stageBinding)));
        var validation = await app.DbAsync(db => db.Stages.OfType<PromptStage>().Where(s => s.Id == stageId).SelectMany(s => s.ValidationPolicies.Select(p => p.Id)).ToListAsync());
        Assert.Equal([keep], validation);
        Assert.True(await app.DbAsync(db => db.PolicyBindings.AnyAsync(b => b.PolicyId == keep)));
        Assert.Contains("model_deleted authentik_policies_expression.expressionpolicy", await EventsAboutAsync(app, id));
    }
}
