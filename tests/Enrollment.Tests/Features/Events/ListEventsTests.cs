using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Events;

public sealed class ListEventsTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    private static readonly DateTime Start = new(2030, 1, 1, 12, 0, 0, DateTimeKind.Utc);

    private Task SeedAsync() => app.DbAsync(async db =>
    {
        for (var i = 0; i < 25; i++)
            db.Events.Add(new Event
            {
                Action = "probe_action", User = new JsonObject { ["pk"] = 900, ["username"] = "event-Zed" },
                Context = new JsonObject { ["n"] = i, ["note"] = "<b>bold</b>" }, ClientIp = "203.0.113.7", Created = Start.AddMinutes(i),
            });
        db.Events.Add(new Event { Action = "probe_action", User = new JsonObject { ["username"] = "someone-else" }, Created = Start.AddHours(2) });
        db.Events.Add(new Event { Action = "other_probe", User = new JsonObject { ["username"] = "event-zed" }, Created = Start.AddHours(3) });
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Events_are_newest_first_filtered_by_action_and_username_and_paged()
    {
        await SeedAsync();
        using var client = await app.AdminClientAsync();

        var all = await client.GetPageAsync("/if/admin/events/");
        Assert.Equal("other_probe", all.QuerySelector("#event-rows tbody tr td code")!.TextContent);
        var actions = all.QuerySelectorAll("select[name=action] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Contains("probe_action", actions);
        Assert.Contains("other_probe", actions);
        Assert.Equal(actions.Count, actions.Distinct().Count());

        var first = await client.GetPageAsync("/if/admin/events/?action=probe_action&user=ZED");
        var rows = first.QuerySelectorAll("#event-rows tbody tr");
        Assert.Equal(20, rows.Length);
        Assert.All(rows, r => Assert.Equal("event-Zed", r.Children[1].TextContent));
        Assert.Equal("2030-01-01 12:24:00", rows[0].QuerySelector("time")!.TextContent);
        Assert.Equal("203.0.113.7", rows[0].Children[2].TextContent);
        var context = rows[0].QuerySelector("details pre")!;
        Assert.Equal("<b>bold</b>", (string?)JsonNode.Parse(context.TextContent)!["note"]);
        Assert.Null(context.QuerySelector("b"));
        Assert.NotNull(first.QuerySelector("a[rel=next]"));

        var second = await client.GetPageAsync("/if/admin/events/?action=probe_action&user=ZED&page=2");
        var last = second.QuerySelectorAll("#event-rows tbody tr");
        Assert.Equal(5, last.Length);
        Assert.Equal("2030-01-01 12:00:00", last[^1].QuerySelector("time")!.TextContent);
    }

    [Fact]
    public async Task Username_search_treats_like_wildcards_literally()
    {
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync("/if/admin/events/?user=%25");
        Assert.NotNull(page.QuerySelector("#event-rows .empty"));
    }
}
