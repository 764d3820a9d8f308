using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Tests.Features.Blueprints;

/// <summary><c>/if/admin/blueprints/</c>: the blueprint files in the folder and what each is.</summary>
[Collection(ShippedBlueprintsCollection.Name)]
public sealed class ListBlueprintsTests(Hosts.WithShippedBlueprints app)
{
    [Fact]
    public async Task Lists_the_shipped_files_recursively_with_name_labels_example_flag_and_parse_errors()
    {
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync("/if/admin/blueprints/");
        var rows = page.QuerySelectorAll("#blueprint-rows tbody tr").ToDictionary(r => r.GetAttribute("data-path")!);
        Assert.Equal(["broken.yaml", "examples/tiny-enrollment.yaml", "system.yaml"], rows.Keys.Order());

        var tiny = rows["examples/tiny-enrollment.yaml"];
        Assert.Contains("Test - Tiny enrollment", tiny.TextContent);
        Assert.Contains("example", tiny.QuerySelector(".badge")!.TextContent);
        Assert.Contains("blueprints.goauthentik.io/instantiate: false", tiny.TextContent);
        Assert.Equal("/if/admin/blueprints/apply/?path=examples%2Ftiny-enrollment.yaml", tiny.QuerySelector("a.button")!.GetAttribute("href"));

        Assert.Contains("System defaults", rows["system.yaml"].TextContent);
        Assert.DoesNotContain("example", rows["system.yaml"].QuerySelector("td")!.TextContent);
        Assert.Contains("team: core", rows["system.yaml"].TextContent);

        Assert.Contains("line", rows["broken.yaml"].QuerySelector(".error")!.TextContent);
    }
}
