using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages.UserWrite;

/// <summary>The user write stage in the admin console: its group and user type, and unknown ones refused.</summary>
[Collection(StagesCollection.Name)]
public sealed class UserWriteStageAdminTests(Hosts.Default app)
{
    [Fact]
    public async Task Admin_creates_and_edits_a_user_write_stage_with_a_group()
    {
        var group = new Group { Name = "uw-group" };
        await app.DbAsync(db => { db.Add(group); return db.SaveChangesAsync(); });
        using var client = await app.AdminClientAsync();
        var form = await client.GetPageAsync("/if/admin/stages/new/user_write/");
        Assert.NotNull(form.QuerySelector($"select[name='Input.CreateUsersGroup'] option[value='{group.Id}']"));

        (await client.PostFormAsync("/if/admin/stages/new/user_write/", ("Input.Name", "uw-stage"),
            ("Input.UserCreationMode", "always_create"), ("Input.CreateUsersAsInactive", "true"), ("Input.CreateUsersGroup", group.Id.ToString()),
            ("Input.UserType", "internal"), ("Input.UserPathTemplate", "users/partners"))).AssertRedirect("/if/admin/stages/");
        var stage = await app.DbAsync(db => db.Stages.OfType<UserWriteStage>().SingleAsync(s => s.Name == "uw-stage"));
        Assert.Equal((UserCreationMode.AlwaysCreate, true, group.Id, UserType.Internal, "users/partners"),
            (stage.UserCreationMode, stage.CreateUsersAsInactive, stage.CreateUsersGroupId, stage.UserType, stage.UserPathTemplate));

        (await client.PostFormAsync($"/if/admin/stages/{stage.Id}/edit/", ("Input.Name", "uw-stage"), ("Input.UserCreationMode", "never_create"),
            ("Input.CreateUsersAsInactive", "false"), ("Input.CreateUsersGroup", ""), ("Input.UserType", "external"), ("Input.UserPathTemplate", "")))
            .AssertRedirect("/if/admin/stages/");
        stage = await app.DbAsync(db => db.Stages.OfType<UserWriteStage>().SingleAsync(s => s.Id == stage.Id));
        Assert.Equal((UserCreationMode.NeverCreate, false, (Guid?)null, UserType.External, ""),
            (stage.UserCreationMode, stage.CreateUsersAsInactive, stage.CreateUsersGroupId, stage.UserType, stage.UserPathTemplate));
    }

    [Fact]
    public async Task Unknown_group_or_user_type_is_a_form_error()
    {
        using var client = await app.AdminClientAsync();
        var response = await client.PostFormAsync("/if/admin/stages/new/user_write/", ("Input.Name", "uw-bad"),
            ("Input.UserCreationMode", "create_when_required"), ("Input.CreateUsersGroup", Guid.NewGuid().ToString()), ("Input.UserType", "robot"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = TestClient.Errors(await TestClient.ParseAsync(response));
        Assert.Contains(errors, e => e.StartsWith("Choose one of: internal"));
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Name == "uw-bad")));

        response = await client.PostFormAsync("/if/admin/stages/new/user_write/", ("Input.Name", "uw-bad"),
            ("Input.UserCreationMode", "create_when_required"), ("Input.CreateUsersGroup", Guid.NewGuid().ToString()), ("Input.UserType", "external"));
        Assert.Contains("This group does not exist (any more). Choose another one.", TestClient.Errors(await TestClient.ParseAsync(response)));
        Assert.False(await app.DbAsync(db => db.Stages.AnyAsync(s => s.Name == "uw-bad")));
    }
}
