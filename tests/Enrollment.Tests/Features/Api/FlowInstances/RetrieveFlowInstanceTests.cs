using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Api.FlowInstances;

/// <summary><c>GET /api/v3/flows/instances/{slug}/</c>.</summary>
[Collection(FlowInstancesApiCollection.Name)]
public sealed class RetrieveFlowInstanceTests(Hosts.Default app)
{
    [Fact]
    public async Task Retrieves_one_flow_by_slug_and_404s_an_unknown_one()
    {
        var slug = ApiJsonClient.Unique("one-");
        var flow = (await app.AddFlowsAsync(new Flow { Slug = slug, Name = "One", Title = "The one", Designation = FlowDesignation.Recovery }))[0];
        using var client = app.ApiClient();

        var body = await client.GetJsonAsync($"/api/v3/flows/instances/{slug}/");
        Assert.Equal(flow.Id.ToString(), (string?)body["pk"]);
        Assert.Equal("recovery", (string?)body["designation"]);
        Assert.Equal("The one", (string?)body["title"]);

        var missing = await client.GetJsonAsync("/api/v3/flows/instances/no-such-flow/", HttpStatusCode.NotFound);
        Assert.Equal("""{"detail":"Not found."}""", missing.ToJsonString());
    }
}
