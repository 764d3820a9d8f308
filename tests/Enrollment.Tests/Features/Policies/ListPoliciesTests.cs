using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Features.Policies.PolicyPages;

namespace Enrollment.Tests.Features.Policies;

/// <summary><c>/if/admin/policies/</c>: the list with where each policy is used; who may see the policies pages.</summary>
[Collection(PoliciesCollection.Name)]
public sealed class ListPoliciesTests(Hosts.Default app)
{
    [Fact]
    public async Task The_list_shows_bindings_and_where_each_policy_is_used_and_pages()
    {
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Listed used policy");
        await app.DbAsync(async db =>
        {
            var flow = new Flow { Name = "Listed flow", Slug = "listed-flow" };
            var stage = new PromptStage { Name = "listed-prompts", ValidationPolicies = [await db.Policies.SingleAsync(p => p.Id == id)] };
            var binding = new FlowStageBinding { Flow = flow, Stage = stage, Order = 10 };
            db.AddRange(flow, stage, binding, new PolicyBinding { Flow = flow, PolicyId = id }, new PolicyBinding { FlowStageBinding = binding, PolicyId = id, Order = 5 });
            for (var i = 0; i < 21; i++) db.Add(new ExpressionPolicy { Name = $"zz paging {i:00}", Expression = "return True" });
            await db.SaveChangesAsync();
        });

        var row = (await client.GetPageAsync("/if/admin/policies/?q=listed+used")).QuerySelectorAll("#policy-rows tbody tr").Single();
        var cells = row.QuerySelectorAll("td").Select(td => td.TextContent).ToList();
        Assert.Equal("2", cells[2].Trim());
        Assert.Contains("Listed flow", cells[3]);
        Assert.Contains("Listed flow › listed-prompts", cells[3]);
        Assert.Contains("prompt stage validation", cells[3]);
        Assert.Contains(row.QuerySelectorAll("a").Select(a => a.GetAttribute("href")), h => h == "/if/admin/flows/listed-flow/policies/");

        var first = await client.GetPageAsync("/if/admin/policies/?q=zz+paging");
        Assert.Equal(20, first.QuerySelectorAll("#policy-rows tbody tr").Length);
        var second = await client.GetPageAsync("/if/admin/policies/?q=zz+paging&page=2");
        Assert.Equal("zz paging 20", second.QuerySelector("#policy-rows tbody td")!.TextContent.Trim());
    }

    [Fact]
    public async Task Non_superusers_are_refused_the_policies_pages()
    {
        var id = await app.DbAsync(async db =>
        {
            var p = new ExpressionPolicy { Name = "Guarded policy", Expression = "return True" };
            db.Add(p);
            await db.SaveChangesAsync();
            return p.Id;
        });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var result = await scope.ServiceProvider.GetRequiredService<UserManager<User>>()
                .CreateAsync(new User { UserName = "policy-plain", Name = "Plain", Email = "policy-plain@example.com" }, "Plain-Tulip-Glacier-58!");
            Assert.True(result.Succeeded);
        }
        using var client = app.NewClient();
        await client.LoginAsync("policy-plain", "Plain-Tulip-Glacier-58!");
        foreach (var url in new[] { "/if/admin/policies/", "/if/admin/policies/new/", $"/if/admin/policies/{id}/", $"/if/admin/policies/{id}/edit/", $"/if/admin/policies/{id}/delete/" })
            (await client.Http.GetAsync(url)).AssertRedirect("http://localhost/error/403/");
        var post = await client.Http.PostAsync(TestAction(id), new FormUrlEncodedContent([new("Test.Context", "")]));
        Assert.True(post.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, post.StatusCode.ToString());
        Assert.True(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Id == id)));
    }

    [SkippableFact]
    public async Task With_python_available_the_policies_pages_show_no_warning()
    {
        PythonAvailable.Require(app);
        using var client = await app.AdminClientAsync();
        Assert.Null((await client.GetPageAsync("/if/admin/policies/")).QuerySelector("#python-warning"));
        Assert.Null((await client.GetPageAsync("/if/admin/policies/new/")).QuerySelector("#python-warning"));
    }
}
