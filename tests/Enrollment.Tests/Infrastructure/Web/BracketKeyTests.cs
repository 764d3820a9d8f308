using System.Net;
using System.Text;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>
/// A form field whose name has an unclosed bracket (<c>a[b</c>) is just a name no page knows: MVC's
/// jQuery-style value providers (which read <c>a[b]</c> as <c>a.b</c> and throw on <c>a[b</c>) are not used, so a
/// page binds its own fields and answers as for any unknown field, never 500.
/// </summary>
public sealed class BracketKeyTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Theory]
    [InlineData("a[b")]
    [InlineData("[")]
    [InlineData("x]y[z")]
    public async Task A_form_field_with_an_unclosed_bracket_on_the_flow_page_is_ignored_like_any_unknown_field(string key)
    {
        var invitation = await app.DbAsync(async db =>
        {
            var flow = await db.Flows.SingleAsync(f => f.Slug == "invitation-enrollment");
            var i = new Enrollment.Domain.Invitation { Name = $"bracket-{Guid.NewGuid():N}", FlowId = flow.Id };
            db.Invitations.Add(i);
            await db.SaveChangesAsync();
            return i.Id;
        });
        using var client = app.NewClient();
        var link = $"/if/flow/invitation-enrollment/?itoken={invitation}";
        var page = await client.GetPageAsync(link);
        var username = $"bracket-{Math.Abs(key.GetHashCode())}";
        var response = await client.SubmitAsync(link, page, [(key, "x"), .. FlowKit.Answers(username)]);
        response.AssertRedirect("/if/user/");
        Assert.NotNull(await FlowKit.UserAsync(app, username));
    }

    [Fact]
    public async Task A_sign_in_with_an_unclosed_bracket_in_a_field_name_is_answered_as_a_sign_in()
    {
        using var client = app.NewClient();
        var response = await client.PostFormAsync("/if/login/", ("Input.Username", "akadmin"), ("Input.Password", EnrollmentApp.AdminPassword), ("Input[Username", "x"));
        response.AssertRedirect("/if/admin/");
    }

    [Fact]
    public async Task An_admin_form_with_an_unclosed_bracket_in_a_field_name_still_saves()
    {
        using var admin = await app.AdminClientAsync();
        var name = $"bracket-group-{Guid.NewGuid():N}";
        var response = await admin.PostFormAsync("/if/admin/groups/new/", ("Input.Name", name), ("Input[Name", "x"));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"{(int)response.StatusCode}: {TestClient.Excerpt(await response.Content.ReadAsStringAsync())}");
        Assert.True(await app.DbAsync(db => db.Groups.AnyAsync(g => g.Name == name)));
    }
}
