using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages.UserLogin;

/// <summary>The user login stage in the admin console: its timedeltas, and a malformed one explained.</summary>
[Collection(StagesCollection.Name)]
public sealed class UserLoginStageAdminTests(Hosts.Default app)
{
    [Fact]
    public async Task Admin_creates_a_user_login_stage_with_timedeltas()
    {
        using var client = await app.AdminClientAsync();
        (await client.PostFormAsync("/if/admin/stages/new/user_login/", ("Input.Name", "ul-stage"),
            ("Input.SessionDuration", "days=1; hours=2"), ("Input.RememberMeOffset", "weeks=4"), ("Input.TerminateOtherSessions", "true")))
            .AssertRedirect("/if/admin/stages/");
        var stage = await app.DbAsync(db => db.Stages.OfType<UserLoginStage>().SingleAsync(s => s.Name == "ul-stage"));
        Assert.Equal(("days=1;hours=2", "weeks=4", true), (stage.SessionDuration, stage.RememberMeOffset, stage.TerminateOtherSessions));
    }

    [Theory]
    [InlineData("8 hours")]
    [InlineData("hours=")]
    [InlineData("hours=8;")]
    [InlineData("years=1")]
    [InlineData("hours=8,minutes=5")]
    public async Task A_malformed_timedelta_is_explained_next_to_the_field_and_nothing_is_saved(string duration)
    {
        using var client = await app.AdminClientAsync();
        var name = "ul-bad-" + Guid.NewGuid().ToString("N")[..6];
        var response = await client.PostFormAsync("/if/admin/stages/new/user_login/", ("Input.Name", name),
            ("Input.SessionDuration", duration), ("Input.RememberMeOffset", "seconds=0"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await TestClient.ParseAsync(response);
        Assert.StartsWith("Use unit=number pairs joined by ';'", page.QuerySelector("[data-valmsg-for='Input.SessionDuration']")!.TextContent);
        Assert.Equal(duration, page.QuerySelector("input[name='Input.SessionDuration']")!.GetAttribute("value"));
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Name == name)));
    }
}
