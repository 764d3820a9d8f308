using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Policies;

/// <summary>A wrong <c>Python:Library</c>: the policies pages say so and how to fix it; saving still works.</summary>
public sealed class PoliciesWithoutPythonTests(Hosts.WithoutPython app) : IClassFixture<Hosts.WithoutPython>
{
    [Fact]
    public async Task The_policies_pages_warn_with_the_reason_and_the_fix()
    {
        using var client = await app.AdminClientAsync();
        var id = await app.DbAsync(async db =>
        {
            var p = new ExpressionPolicy { Name = "No python policy", Expression = "return True" };
            db.Add(p);
            await db.SaveChangesAsync();
            return p.Id;
        });
        foreach (var url in new[] { "/if/admin/policies/", "/if/admin/policies/new/", $"/if/admin/policies/{id}/", $"/if/admin/policies/{id}/edit/" })
        {
            var warning = (await client.GetPageAsync(url)).QuerySelector("#python-warning")?.TextContent;
            Assert.True(warning is not null, $"{url} shows no warning");
            Assert.Contains("Python runtime not available: /nonexistent/libpython3.11.so does not exist", warning);
            Assert.Contains("Python:Library", warning);
            Assert.Contains("apt-get install libpython3.11", warning);
        }
    }

    [Fact]
    public async Task Saving_works_without_a_syntax_check_and_the_test_says_python_is_missing()
    {
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync("/if/admin/policies/new/",
            ("Input.Name", "Saved without python"), ("Input.Expression", "return (unchecked"), ("Input.ExecutionLogging", "false"));
        response.AssertRedirect("/if/admin/policies/");
        var id = await app.DbAsync(db => db.Policies.Where(p => p.Name == "Saved without python").Select(p => p.Id).SingleAsync());

        var test = await client.PostFormAsync($"/if/admin/policies/{id}/", [new("Test.Username", ""), new("Test.Context", "a: 1")], $"/if/admin/policies/{id}/?handler=Test");
        Assert.Equal(HttpStatusCode.OK, test.StatusCode);
        var page = await TestClient.ParseAsync(test);
        Assert.Equal("false", page.QuerySelector("#test-passing")!.TextContent.Trim());
        Assert.StartsWith("Python runtime not available", page.QuerySelector("#test-error")!.TextContent.Trim());
    }
}
