using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Blueprints;

/// <summary>The instances on the Blueprints page: status, last applied, and an Apply button that is a plain form.</summary>
public sealed class BlueprintInstancesPageTests(Hosts.WithWatchedBlueprints app) : IClassFixture<Hosts.WithWatchedBlueprints>
{
    [Fact]
    public async Task The_page_lists_instances_with_status_and_time_and_Apply_works_without_javascript()
    {
        var instance = await app.DbAsync(db => db.BlueprintInstances.AsNoTracking().SingleAsync(i => i.Path == "watched.yaml"));
        await app.DbAsync(db => db.Flows.Where(f => f.Slug == "watched-flow").ExecuteUpdateAsync(s => s.SetProperty(f => f.Title, "Edited")));
        using var admin = await app.AdminClientAsync();
        var page = await admin.GetPageAsync("/if/admin/blueprints/");
        var row = page.QuerySelector($"#instance-{instance.Id}")!;
        Assert.Equal("successful", row.QuerySelector("[data-status]")!.TextContent);
        Assert.NotNull(row.QuerySelector("time[datetime]"));
        var form = row.QuerySelector("form[method=post]")!;
        Assert.NotNull(page.QuerySelector("input[name=__RequestVerificationToken]"));

        var response = await admin.PostFormAsync("/if/admin/blueprints/", [], action: form.GetAttribute("action")!.Replace("&amp;", "&"));

        response.AssertRedirect("/if/admin/blueprints/");
        Assert.Equal("First", await app.DbAsync(db => db.Flows.Where(f => f.Slug == "watched-flow").Select(f => f.Title).SingleAsync()));
        var after = await app.DbAsync(db => db.BlueprintInstances.AsNoTracking().SingleAsync(i => i.Id == instance.Id));
        Assert.True(after.LastApplied > instance.LastApplied);
    }
}
