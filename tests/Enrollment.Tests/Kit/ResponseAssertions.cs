using System.Net;

namespace Enrollment.Tests.Kit;

public static class ResponseAssertions
{
    public static void AssertRedirect(this HttpResponseMessage response, string expectedPrefix)
    {
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther,
            $"Expected a redirect, got {(int)response.StatusCode}: {TestClient.Excerpt(response.Content.ReadAsStringAsync().Result)}");
        Assert.StartsWith(expectedPrefix, response.Headers.Location!.OriginalString);
    }
}
