using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Policies;

/// <summary>The policy pages' form and Test action, as the tests of the policy slices use them.</summary>
public static class PolicyPages
{
    public static (string, string)[] Fields(string name, string expression, bool logging = false) =>
        [("Input.Name", name), ("Input.Expression", expression), ("Input.ExecutionLogging", logging ? "true" : "false")];

    /// <summary>Creates an expression policy through <c>/if/admin/policies/new/</c> and returns its id.</summary>
    public static async Task<Guid> CreateAsync(EnrollmentApp app, TestClient client, string name, string expression = "return True", bool logging = false)
    {
        var response = await client.PostFormAsync("/if/admin/policies/new/", Fields(name, expression, logging));
        response.AssertRedirect("/if/admin/policies/");
        var id = await app.DbAsync(db => db.Policies.Where(p => p.Name == name).Select(p => p.Id).SingleAsync());
        Assert.Equal($"/if/admin/policies/{id}/", response.Headers.Location!.OriginalString);
        return id;
    }

    public static async Task<IReadOnlyList<string>> ErrorsOf(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        Assert.Equal(expected, response.StatusCode);
        return TestClient.Errors(await TestClient.ParseAsync(response));
    }

    public static string TestAction(Guid id) => $"/if/admin/policies/{id}/?handler=Test";

    /// <summary>Runs the Test action as a person with JavaScript off would: the whole page comes back.</summary>
    public static async Task<IHtmlDocument> TestAsync(TestClient client, Guid id, string context = "", string username = "")
    {
        var response = await client.PostFormAsync($"/if/admin/policies/{id}/", [new("Test.Username", username), new("Test.Context", context)], TestAction(id));
        var page = await TestClient.ParseAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {string.Join(" | ", TestClient.Errors(page))}");
        Assert.NotNull(page.QuerySelector("#policy-test-result"));
        return page;
    }

    public static string Passing(IHtmlDocument page) => page.QuerySelector("#test-passing")!.TextContent.Trim();

    /// <summary>The events about the policy, oldest first, as "action app.model".</summary>
    public static Task<List<string>> EventsAboutAsync(EnrollmentApp app, Guid id) => app.DbAsync(async db =>
        (await db.Events.AsNoTracking().OrderBy(e => e.Created).ToListAsync())
            .Where(e => (string?)e.Context["model"]?["pk"] == id.ToString())
            .Select(e => $"{e.Action} {(string?)e.Context["model"]!["app"]}.{(string?)e.Context["model"]!["model_name"]}")
            .ToList());
}
