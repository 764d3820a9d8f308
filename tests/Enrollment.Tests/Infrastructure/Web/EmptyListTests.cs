using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>On a fresh database each list says it is empty and links to what to create next.</summary>
public sealed class EmptyListTests(Hosts.WithoutDefaultBlueprints app) : IClassFixture<Hosts.WithoutDefaultBlueprints>
{
    [Theory]
    [MemberData(nameof(AdminList.Keys), MemberType = typeof(AdminList))]
    public async Task Empty_list_shows_the_empty_state_with_what_to_do_next(string key)
    {
        var list = AdminList.All[key];
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync(list.Url);

        var empty = list.Rows(page).QuerySelector(".empty");
        Assert.NotNull(empty);
        Assert.StartsWith($"No {list.Noun}s yet.", empty.TextContent.Trim());
        var links = empty.QuerySelectorAll("a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Equal(list.EmptyStateLinks, links);
        Assert.Empty(list.Rows(page).QuerySelectorAll("table"));
        Assert.Null(page.QuerySelector(".pager"));

        // The links lead somewhere: each "what to do next" page opens.
        foreach (var href in links) await client.GetPageAsync(href!);
    }

    [Theory]
    [MemberData(nameof(AdminList.Keys), MemberType = typeof(AdminList))]
    public async Task A_search_on_an_empty_list_says_nothing_matches(string key)
    {
        var list = AdminList.All[key];
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync(list.Url + "?q=anything");
        Assert.Equal($"No {list.Noun} matches “anything”.", list.Rows(page).QuerySelector(".empty")!.TextContent.Trim());
        Assert.Equal("anything", page.QuerySelector("input[type=search][name=q]")!.GetAttribute("value"));
    }
}
