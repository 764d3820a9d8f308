using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Enrollment.Tests.Features.Policies.PolicyPages;

namespace Enrollment.Tests.Features.Policies;

/// <summary><c>/if/admin/policies/{id}/edit/</c>, and the policy pages for an id that names no policy.</summary>
[Collection(PoliciesCollection.Name)]
public sealed class EditPolicyTests(Hosts.Default app)
{
    [Fact]
    public async Task Edit_changes_name_expression_and_logging_and_records_model_updated()
    {
        using var client = await app.AdminClientAsync();
        var id = await CreateAsync(app, client, "Before edit", "return True", logging: true);
        var form = await client.GetPageAsync($"/if/admin/policies/{id}/edit/");
        Assert.Equal("Before edit", form.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        Assert.Equal("return True", form.QuerySelector("textarea[name='Input.Expression']")!.TextContent.Trim());

        // Browsers post CRLF; the policy keeps LF.
        (await client.PostFormAsync($"/if/admin/policies/{id}/edit/", Fields("  After edit ", "x = 1\r\nreturn x == 1")))
            .AssertRedirect($"/if/admin/policies/{id}/");
        var policy = await app.DbAsync(db => db.Policies.OfType<ExpressionPolicy>().SingleAsync(p => p.Id == id));
        Assert.Equal(("After edit", "x = 1\nreturn x == 1", false), (policy.Name, policy.Expression, policy.ExecutionLogging));
        Assert.Equal(["model_created authentik_policies_expression.expressionpolicy", "model_updated authentik_policies_expression.expressionpolicy"],
            await EventsAboutAsync(app, id));
    }

    [Fact]
    public async Task Unknown_policy_ids_are_404()
    {
        using var client = await app.AdminClientAsync();
        var id = Guid.NewGuid();
        await client.GetPageAsync($"/if/admin/policies/{id}/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/policies/{id}/edit/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/policies/{id}/delete/", HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/policies/", [], $"/if/admin/policies/{id}/delete/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/policies/",
            Fields("Ghost", "return True").Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)), $"/if/admin/policies/{id}/edit/")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostFormAsync("/if/admin/policies/", [new("Test.Context", "")], TestAction(id))).StatusCode);
    }
}
