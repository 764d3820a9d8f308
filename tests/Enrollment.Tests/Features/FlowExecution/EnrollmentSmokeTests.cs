using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Kit.FlowKit;

namespace Enrollment.Tests.Features.FlowExecution;

public sealed class EnrollmentSmokeTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task An_invitee_walks_the_flow_and_ends_up_signed_in_as_a_new_user()
    {
        var setup = await GuideFlowAsync(app, "smoke", UserType.Internal, "users/smoke");
        var invitation = await setup.InviteAsync(app, "smoke-invite", fixedData: new() { ["email"] = "jane@example.com", ["attributes"] = new System.Text.Json.Nodes.JsonObject { ["department"] = "Engineering" } });
        using var client = app.NewClient();

        var page = await client.GetPageAsync(setup.Link(invitation));
        Assert.Equal("Welcome to smoke", page.QuerySelector("#flow-card h1")!.TextContent);
        Assert.Equal("jane@example.com", page.QuerySelector("input[name=email]")!.GetAttribute("value"));

        var response = await client.PostFormAsync(setup.Link(invitation), [.. Answers("jane", email: "jane@example.com"), ("stage", page.QuerySelector("input[name=stage]")!.GetAttribute("value")!)]);
        response.AssertRedirect("/if/user/"); // the POST ran the user write and user login stages too
        var home = await client.GetPageAsync("/if/user/");
        Assert.Contains("jane@example.com", home.QuerySelector("dl")!.TextContent);

        var user = await app.DbAsync(db => db.Users.SingleAsync(u => u.UserName == "jane"));
        Assert.Equal("users/smoke", user.Path);
        Assert.Equal(UserType.Internal, user.Type);
        Assert.Equal("Engineering", (string?)user.Attributes["department"]);
        var used = await app.DbAsync(db => db.Invitations.SingleAsync(i => i.Id == invitation.Id));
        Assert.Equal(1, used.Uses);
    }
}
