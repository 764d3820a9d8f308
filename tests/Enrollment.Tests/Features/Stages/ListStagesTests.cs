using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages;

/// <summary><c>/if/admin/stages/</c>: kinds and bound flows, search with and without htmx, and deleting a bound stage from there.</summary>
[Collection(StagesCollection.Name)]
public sealed class ListStagesTests(Hosts.Default app)
{
    [Fact]
    public async Task List_shows_kinds_and_bound_flows_and_deleting_a_bound_stage_removes_its_bindings()
    {
        var stage = new UserLoginStage { Name = "bound-login" };
        var flow = new Flow { Name = "Bound flow", Slug = "bound-flow" };
        var policy = new ExpressionPolicy { Name = "bound-policy" };
        var binding = new FlowStageBinding { Flow = flow, Stage = stage, Order = 10 };
        await app.DbAsync(db =>
        {
            db.AddRange(stage, flow, policy, binding, new PolicyBinding { FlowStageBinding = binding, Policy = policy });
            return db.SaveChangesAsync();
        });
        using var client = await app.AdminClientAsync();

        var list = await client.GetPageAsync("/if/admin/stages/?q=bound-log");
        var row = Assert.Single(list.QuerySelectorAll("#stage-rows tbody tr"));
        Assert.Contains("User login stage", row.TextContent);
        Assert.Equal("/if/admin/flows/bound-flow/", row.QuerySelector("td.flows a")!.GetAttribute("href"));
        Assert.NotNull(list.QuerySelector("details a[href='/if/admin/stages/new/user_write/']"));

        var confirm = await client.GetPageAsync($"/if/admin/stages/{stage.Id}/delete/");
        Assert.Contains("Bound flow", confirm.QuerySelector("main ul")!.TextContent);

        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/delete/")).AssertRedirect("/if/admin/stages/");
        Assert.False(await app.DbAsync(db => db.FlowStageBindings.AnyAsync(b => b.Id == binding.Id)));
        Assert.False(await app.DbAsync(db => db.PolicyBindings.AnyAsync(p => p.FlowStageBindingId == binding.Id)));
        Assert.True(await app.DbAsync(db => db.Flows.AnyAsync(f => f.Id == flow.Id)));
        Assert.True(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Id == policy.Id)));
    }

    [Fact]
    public async Task Search_without_htmx_gets_the_page_and_with_htmx_only_the_rows()
    {
        using var client = await app.AdminClientAsync();
        var request = new HttpRequestMessage(HttpMethod.Get, "/if/admin/stages/?q=zzz-nothing");
        request.Headers.Add("HX-Request", "true");
        var fragment = await (await client.Http.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.StartsWith("<div id=\"stage-rows\">", fragment.Trim());
        Assert.Contains("No stage matches", fragment);
        var page = await client.GetPageAsync("/if/admin/stages/?q=zzz-nothing");
        Assert.NotNull(page.QuerySelector("form[role=search] input[name=q]"));
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_the_login_page()
    {
        using var client = app.NewClient();
        (await client.Http.GetAsync("/if/admin/stages/")).AssertRedirect("http://localhost/if/login/?next=%2Fif%2Fadmin%2Fstages%2F");
        (await client.Http.GetAsync("/if/admin/stages/new/prompt/")).AssertRedirect("http://localhost/if/login/");
    }
}
