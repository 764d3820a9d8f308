using System.Net;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Stages;

/// <summary><c>/if/admin/stages/new/{kind}/</c> and <c>/if/admin/stages/{id}/edit/</c> for every kind: names required and unique; unknown kinds and stages are 404.</summary>
[Collection(StagesCollection.Name)]
public sealed class CreateStageTests(Hosts.Default app)
{
    [Fact]
    public async Task Duplicate_or_missing_names_are_form_errors_and_nothing_is_saved()
    {
        using var client = await app.AdminClientAsync();
        (await client.PostFormAsync("/if/admin/stages/new/invitation/", ("Input.Name", "dup-stage"))).AssertRedirect("/if/admin/stages/");

        // Names are unique across kinds: one table, one namespace.
        var again = await client.PostFormAsync("/if/admin/stages/new/user_login/", ("Input.Name", "dup-stage"),
            ("Input.SessionDuration", "seconds=0"), ("Input.RememberMeOffset", "seconds=0"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("A stage with this name already exists.",
            (await TestClient.ParseAsync(again)).QuerySelector("[data-valmsg-for='Input.Name']")!.TextContent.Trim());
        Assert.Equal(1, await app.DbAsync(db => db.Stages.CountAsync(s => s.Name == "dup-stage")));

        var other = await client.PostFormAsync("/if/admin/stages/new/invitation/", ("Input.Name", "dup-stage-2"));
        other.AssertRedirect("/if/admin/stages/");
        var id = await app.DbAsync(db => db.Stages.Where(s => s.Name == "dup-stage-2").Select(s => s.Id).SingleAsync());
        var rename = await client.PostFormAsync($"/if/admin/stages/{id}/edit/", ("Input.Name", "dup-stage"));
        Assert.Contains("A stage with this name already exists.", TestClient.Errors(await TestClient.ParseAsync(rename)));

        var before = await app.DbAsync(db => db.Stages.CountAsync());
        var missing = await client.PostFormAsync("/if/admin/stages/new/prompt/", ("Input.Name", ""));
        Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
        Assert.Contains("Enter a name.", TestClient.Errors(await TestClient.ParseAsync(missing)));
        Assert.Equal(before, await app.DbAsync(db => db.Stages.CountAsync()));
    }

    [Fact]
    public async Task Unknown_kind_or_stage_is_a_404()
    {
        using var client = await app.AdminClientAsync();
        await client.GetPageAsync("/if/admin/stages/new/password/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/stages/{Guid.NewGuid()}/edit/", HttpStatusCode.NotFound);
        await client.GetPageAsync($"/if/admin/stages/{Guid.NewGuid()}/delete/", HttpStatusCode.NotFound);
        var post = await client.PostFormAsync("/if/admin/stages/new/invitation/", [new("Input.Name", "x")], "/if/admin/stages/new/password/");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        post = await client.PostFormAsync("/if/admin/stages/", [], $"/if/admin/stages/{Guid.NewGuid()}/delete/");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        post = await client.PostFormAsync("/if/admin/stages/", [new("Input.Name", "x")], $"/if/admin/stages/{Guid.NewGuid()}/edit/");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }
}
