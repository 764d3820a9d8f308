using System.Net;
using AngleSharp.Html.Dom;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Groups;

/// <summary>The group pages' form, as the tests of the group slices fill it in.</summary>
public static class GroupPages
{
    public static (string, string)[] Fields(string name, string attributes = "", Guid? parent = null, bool superuser = false) =>
    [
        ("Input.Name", name), ("Input.ParentId", parent?.ToString() ?? ""), ("Input.Attributes", attributes),
        ("Input.IsSuperuser", superuser ? "true" : "false"),
    ];

    /// <summary>Creates a group through <c>/if/admin/groups/new/</c> and returns its id.</summary>
    public static async Task<Guid> CreateAsync(EnrollmentApp app, TestClient client, string name, Guid? parent = null, string attributes = "")
    {
        var response = await client.PostFormAsync("/if/admin/groups/new/", Fields(name, attributes, parent));
        response.AssertRedirect("/if/admin/groups/");
        return await app.DbAsync(db => db.Groups.Where(g => g.Name == name).Select(g => g.Id).SingleAsync());
    }

    public static async Task<IReadOnlyList<string>> ErrorsOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return TestClient.Errors(await TestClient.ParseAsync(response));
    }

    public static string FormAction(IHtmlDocument page, string handler) =>
        page.QuerySelectorAll("form").Select(f => f.GetAttribute("action") ?? "").Single(a => a.Contains($"handler={handler}"));
}
