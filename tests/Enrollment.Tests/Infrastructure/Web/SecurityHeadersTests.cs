using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Web;

public sealed class SecurityHeadersTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Theory]
    [InlineData("/if/login/", false)]
    [InlineData("/if/admin/flows/", false)] // the redirect to the login page
    [InlineData("/if/admin/flows/", true)]
    [InlineData("/if/admin/flows/no-such-flow/", true)] // the 404 page
    [InlineData("/no/such/page/", false)]
    [InlineData("/css/site.css", false)]
    public async Task Responses_carry_the_security_headers(string url, bool asAdmin)
    {
        using var client = asAdmin ? await app.AdminClientAsync() : app.NewClient();
        var response = await client.Http.GetAsync(url);
        Assert.True((int)response.StatusCode < 500, $"{url}: {(int)response.StatusCode}");

        var csp = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain("unsafe-inline", csp);
        Assert.DoesNotContain("unsafe-eval", csp);
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(d => d.Split(' ')[0], d => d);
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("style-src 'self'", directives["style-src"]);
        Assert.Equal("default-src 'self'", directives["default-src"]);
        Assert.Equal("frame-ancestors 'none'", directives["frame-ancestors"]);

        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
    }
}
