using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Tests.Features.Api.Invitations;

namespace Enrollment.Tests.Features.Api.Contract;

/// <summary>JSON requests for the tour: a body in, the answer's JSON out, the status asserted.</summary>
internal static class ApiTour
{
    public static Task<JsonNode> Post(this HttpClient c, string url, string body, HttpStatusCode expected = HttpStatusCode.Created) =>
        c.SendJsonAsync(HttpMethod.Post, url, body, expected);

    public static Task<JsonNode> Put(this HttpClient c, string url, string body) => c.SendJsonAsync(HttpMethod.Put, url, body, HttpStatusCode.OK);

    public static Task<JsonNode> Patch(this HttpClient c, string url, string body) => c.SendJsonAsync(HttpMethod.Patch, url, body, HttpStatusCode.OK);

    public static async Task Delete(this HttpClient c, string url)
    {
        var response = await c.DeleteAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.NoContent, $"DELETE {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    public static string Pk(this JsonNode node) => (string)node["pk"]!;
}
