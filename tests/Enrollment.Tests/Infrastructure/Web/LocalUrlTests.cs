using System.Net;
using Enrollment.Infrastructure.Web;

using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>
/// Every return address (<c>?next=</c> on the sign-in page and in flows, a plan's <c>redirect</c>) goes through
/// <see cref="LocalUrl"/>: only paths on this site are followed, whatever tricks browsers would turn into another host.
/// </summary>
public sealed class LocalUrlTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    /// <summary>Known open-redirect bypasses: each would lead a browser (or a decoding server) to another site.</summary>
    public static TheoryData<string> Bypasses => new()
    {
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/\n/evil.example",
        "/\r\n/evil.example",
        "\t//evil.example",
        " //evil.example",
        "/ /evil.example",
        "/%2F%2Fevil.example",
        "/%2f/evil.example",
        "/%5Cevil.example",
        "/%5cevil.example",
        "/%252F%252Fevil.example",
        "/%09/evil.example",
        "/\0/evil.example",
        "https://evil.example",
        "http:evil.example",
        "//evil.example/if/user/",
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "evil.example",
        "~/if/user/",
        "",
    };

    [Theory]
    [MemberData(nameof(Bypasses))]
    public void Another_site_is_never_a_local_url(string url)
    {
        Assert.Null(LocalUrl.SafeOrNull(url));
        Assert.False(LocalUrl.IsSafe(url));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/if/user/")]
    [InlineData("/if/admin/flows/?q=a%20b&page=2")]
    [InlineData("/if/flow/x/?next=%2Fif%2Fuser%2F")]
    [InlineData("/path%25with-percent")]
    public void A_path_on_this_site_is_kept_as_it_is(string url) => Assert.Equal(url, LocalUrl.SafeOrNull(url));

    [Theory]
    [MemberData(nameof(Bypasses))]
    public async Task The_sign_in_page_never_sends_the_browser_to_another_site(string next)
    {
        using var client = app.NewClient();
        var page = "/if/login/?next=" + Uri.EscapeDataString(next);
        if (next.Contains('\0'))
        {
            // No query value and no form field takes a NUL: the page is refused before it is shown or posted.
            Assert.Equal(HttpStatusCode.BadRequest, (await client.Http.GetAsync(page)).StatusCode);
            var token = TestClient.AntiforgeryToken(await client.GetPageAsync("/if/login/"));
            var posted = await client.Http.PostAsync("/if/login/", new FormUrlEncodedContent(
                [new("Input.Username", "akadmin"), new("Input.Password", EnrollmentApp.AdminPassword), new("Next", next), new("__RequestVerificationToken", token)]));
            Assert.Equal(HttpStatusCode.BadRequest, posted.StatusCode);
            return;
        }
        var response = await client.PostFormAsync(page, ("Input.Username", "akadmin"), ("Input.Password", EnrollmentApp.AdminPassword), ("Next", next));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/if/admin/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_sign_in_page_follows_a_local_next()
    {
        using var client = app.NewClient();
        var response = await client.PostFormAsync("/if/login/?next=%2Fif%2Fadmin%2Fflows%2F", ("Input.Username", "akadmin"), ("Input.Password", EnrollmentApp.AdminPassword), ("Next", "/if/admin/flows/"));
        Assert.Equal("/if/admin/flows/", response.Headers.Location!.OriginalString);
    }
}
