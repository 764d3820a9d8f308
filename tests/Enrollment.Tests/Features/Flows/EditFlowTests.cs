using System.Net;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Flows;

/// <summary><c>/if/admin/flows/{slug}/edit/</c> and the pages behind it for a slug that names no flow.</summary>
[Collection(FlowsCollection.Name)]
public sealed class EditFlowTests(Hosts.Default app)
{
    [Fact]
    public async Task Unknown_flow_in_the_url_is_a_404_page()
    {
        using var client = await app.AdminClientAsync();
        var page = await client.GetPageAsync("/if/admin/flows/no-such-flow/edit/", HttpStatusCode.NotFound);
        Assert.Contains("Not found", page.QuerySelector("h1")!.TextContent);
        var post = await client.PostFormAsync("/if/admin/flows/", [], "/if/admin/flows/no-such-flow/delete/");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }
}
