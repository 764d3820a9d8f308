using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Features.Flows;

/// <summary><c>/if/admin/flows/</c>, the list of flows.</summary>
[Collection(FlowsCollection.Name)]
public sealed class ListFlowsTests(Hosts.Default app)
{
    [Fact]
    public async Task Anonymous_visitors_are_sent_to_the_login_page()
    {
        using var client = app.NewClient();
        var response = await client.Http.GetAsync("/if/admin/flows/");
        response.AssertRedirect("http://localhost/if/login/?next=%2Fif%2Fadmin%2Fflows%2F");
    }
}
