using System.Net;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Tokens;

/// <summary>The token pages' form, as the tests of the token slices fill it in, and what a key is good for.</summary>
public static class TokenPages
{
    public static (string, string)[] Fields(string identifier, string username = "akadmin", bool expiring = false, string expires = "") =>
        [("Input.Identifier", identifier), ("Input.Username", username), ("Input.Description", "for the tests"),
         ("Input.Expiring", expiring ? "true" : "false"), ("Input.Expires", expires)];

    /// <summary>Creates a token through <c>/if/admin/tokens/new/</c> and returns the key the page shows once.</summary>
    public static async Task<string> CreateAsync(TestClient client, string identifier, bool expiring = false, string expires = "")
    {
        var response = await client.PostFormAsync("/if/admin/tokens/new/", Fields(identifier, expiring: expiring, expires: expires));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl?.NoStore);
        var page = await TestClient.ParseAsync(response);
        Assert.Equal("#token-key", page.QuerySelector("button[data-copy]")!.GetAttribute("data-copy"));
        return page.QuerySelector("input#token-key[readonly]")!.GetAttribute("value")!;
    }

    /// <summary>Runs the API scheme's handler on a bare request, so the result does not depend on which API endpoints exist.</summary>
    public static async Task<AuthenticateResult> AuthenticateAsync(EnrollmentApp app, string key)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var context = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
        context.Request.Headers.Authorization = "Bearer " + key;
        return await context.AuthenticateAsync(ApiTokenAuthenticationHandler.SchemeName);
    }
}
