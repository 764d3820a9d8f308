using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Features.Policies.PolicyPages;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.Policies;

/// <summary><c>/if/admin/policies/new/</c>: an expression policy, checked for syntax on save, then offered where policies are bound.</summary>
[Collection(PoliciesCollection.Name)]
public sealed class CreatePolicyTests(Hosts.Default app)
{
    [Fact]
    public async Task Admin_creates_a_policy_that_is_listed_and_offered_for_flow_bindings_and_prompt_validation()
    {
        using var client = await app.AdminClientAsync();
        Assert.Contains("/if/admin/policies/", (await client.GetPageAsync("/if/admin/")).QuerySelectorAll("nav.sidenav a").Select(a => a.GetAttribute("href")));

        var id = await CreateAsync(app, client, "Only invited users", InvitedSnippet, logging: true);
        var policy = await app.DbAsync(db => db.Policies.OfType<ExpressionPolicy>().SingleAsync(p => p.Id == id));
        Assert.Equal(InvitedSnippet, policy.Expression);
        Assert.True(policy.ExecutionLogging);
        Assert.Equal(["model_created authentik_policies_expression.expressionpolicy"], await EventsAboutAsync(app, id));

        var details = await client.GetPageAsync($"/if/admin/policies/{id}/");
        Assert.Equal(InvitedSnippet, details.QuerySelector("#policy-expression")!.TextContent);
        Assert.Contains("Not used", details.QuerySelector("#policy-usage")!.TextContent);

        var rows = (await client.GetPageAsync("/if/admin/policies/?q=only+invited")).QuerySelector("#policy-rows")!;
        var row = rows.QuerySelectorAll("tbody tr").Single();
        Assert.Equal(["Only invited users", "Expression policy", "0", "Not used"], row.QuerySelectorAll("td").Take(4).Select(td => td.TextContent.Trim()));
        Assert.Contains("No policy matches", (await client.GetPageAsync("/if/admin/policies/?q=zzz-nothing")).QuerySelector("#policy-rows")!.TextContent);

        var flow = await app.FlowAsync("policy-offered");
        var offered = (await client.GetPageAsync($"/if/admin/flows/{flow.Slug}/policies/"))
            .QuerySelectorAll("select[name='Input.PolicyId'] option").Select(o => o.GetAttribute("value"));
        Assert.Contains(offered, v => Guid.TryParse(v, out var g) && g == id);
        var stageForm = await client.GetPageAsync("/if/admin/stages/new/prompt/");
        Assert.NotNull(stageForm.QuerySelector($"input[name='Input.ValidationPolicies'][value='{id}']"));
    }

    [SkippableFact]
    public async Task A_syntax_error_names_its_line_saves_nothing_and_keeps_the_text()
    {
        PythonAvailable.Require(app);
        using var client = await app.AdminClientAsync();
        const string broken = "x = 1\nreturn (x ==\n";
        var response = await client.PostFormAsync("/if/admin/policies/new/", Fields("Broken on create", broken));
        var page = await TestClient.ParseAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("Line 2: ", page.QuerySelector("[data-valmsg-for='Input.Expression']")!.TextContent.Trim());
        Assert.Equal(broken, page.QuerySelector("textarea[name='Input.Expression']")!.TextContent.TrimStart('\n'));
        Assert.Equal("Broken on create", page.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        Assert.False(await app.DbAsync(db => db.Policies.AnyAsync(p => p.Name == "Broken on create")));

        var id = await CreateAsync(app, client, "Broken on edit");
        var errors = await ErrorsOf(await client.PostFormAsync($"/if/admin/policies/{id}/edit/", Fields("Renamed on edit", "if True:\nreturn 1")));
        // Python's "after 'if' statement on line N" counts lines of the expression, as the "Line 2" does.
        Assert.Contains(errors, e => e.StartsWith("Line 2: ") && e.Contains("indent") && e.EndsWith("on line 1"));
        var stored = await app.DbAsync(db => db.Policies.OfType<ExpressionPolicy>().SingleAsync(p => p.Id == id));
        Assert.Equal(("Broken on edit", "return True"), (stored.Name, stored.Expression));
        Assert.DoesNotContain(await EventsAboutAsync(app, id), e => e.StartsWith("model_updated"));
    }

    [Fact]
    public async Task Duplicate_or_empty_names_and_empty_expressions_are_form_errors()
    {
        using var client = await app.AdminClientAsync();
        await CreateAsync(app, client, "Taken name");
        var duplicate = await ErrorsOf(await client.PostFormAsync("/if/admin/policies/new/", Fields(" Taken name ", "return True")));
        Assert.Contains("A policy with this name already exists.", duplicate);
        Assert.Equal(1, await app.DbAsync(db => db.Policies.CountAsync(p => p.Name == "Taken name")));

        var other = await CreateAsync(app, client, "Other name");
        var renamed = await ErrorsOf(await client.PostFormAsync($"/if/admin/policies/{other}/edit/", Fields("Taken name", "return True")));
        Assert.Contains("A policy with this name already exists.", renamed);

        var empty = await ErrorsOf(await client.PostFormAsync("/if/admin/policies/new/", Fields("   ", "  \n ")));
        Assert.Contains("Enter a name.", empty);
        Assert.Contains("Enter an expression.", empty);
        var tooLong = await ErrorsOf(await client.PostFormAsync("/if/admin/policies/new/", Fields(new string('n', 201), "return True")));
        Assert.Contains("Use at most 200 characters.", tooLong);
    }
}
