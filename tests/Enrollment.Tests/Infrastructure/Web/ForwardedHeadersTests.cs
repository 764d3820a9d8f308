using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Enrollment.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>
/// Behind a trusted reverse proxy (<c>Proxy:KnownProxies</c>, <c>Proxy:KnownNetworks</c>) the client's address,
/// scheme and host come from <c>X-Forwarded-*</c>; from any other address those headers change nothing.
/// </summary>
public sealed class ForwardedHeadersTests(ForwardedHeadersTests.ProxiedApp app) : IClassFixture<ForwardedHeadersTests.ProxiedApp>
{
    private const string Proxy = "10.0.0.5";
    private const string ProxyInNetwork = "192.168.50.20";
    private const string Stranger = "198.51.100.9";
    private const string Client = "203.0.113.7";

    /// <summary>The test server has no socket: <see cref="PeerAddress"/> gives each request the sender's address, as a connection would.</summary>
    public sealed class ProxiedApp() : EnrollmentApp(new HostConfiguration
        {
            Settings = _ => new Dictionary<string, string?>
            {
                ["Proxy:KnownProxies"] = Proxy,
                ["Proxy:KnownNetworks"] = "192.168.50.0/24",
                ["AllowedHosts"] = "localhost;id.example.com",
            },
        })
    {

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureServices(s => s.AddTransient<IStartupFilter, PeerAddress>());
        }
    }

    /// <summary>Sets the connection's remote address from the test-only <c>X-Test-Peer</c> header, before anything else runs.</summary>
    public sealed class PeerAddress : IStartupFilter
    {
        public const string Header = "X-Test-Peer";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var peer)) context.Connection.RemoteIpAddress = IPAddress.Parse(peer.ToString());
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    [Theory]
    [InlineData(Proxy)]
    [InlineData(ProxyInNetwork)]
    public async Task Behind_a_trusted_proxy_cookies_are_secure_HSTS_is_sent_events_record_the_client_and_links_use_the_public_origin(string proxy)
    {
        var browser = new Browser(app, proxy, forwarded: true);

        var login = await browser.GetAsync("/if/login/");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(login.Headers.TryGetValues("Strict-Transport-Security", out var hsts), "HSTS on an HTTPS request");
        Assert.StartsWith("max-age=", hsts!.Single());
        Assert.Contains(Cookies(login), c => c.StartsWith("enrollment_csrf=") && IsSecure(c));

        var wrongUser = $"wrong-{Guid.NewGuid():N}"[..20];
        var failed = await browser.PostFormAsync("/if/login/", await TokenAsync(login), ("Input.Username", wrongUser), ("Input.Password", "nope-nope"));
        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        Assert.Equal(Client, await ClientIpOfLoginFailureAsync(wrongUser));

        var signedIn = await browser.PostFormAsync("/if/login/", await TokenAsync(await browser.GetAsync("/if/login/")),
            ("Input.Username", "akadmin"), ("Input.Password", EnrollmentApp.AdminPassword));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Contains(Cookies(signedIn), c => c.StartsWith("enrollment_session=") && IsSecure(c));

        var invitation = await InvitationAsync();
        var details = await browser.GetAsync($"/if/admin/invitations/{invitation}/");
        Assert.Equal(HttpStatusCode.OK, details.StatusCode);
        Assert.Equal($"https://id.example.com/if/flow/invitation-enrollment/?itoken={invitation}", await InvitationLinkAsync(details));
    }

    [Fact]
    public async Task From_an_untrusted_address_the_forwarded_headers_are_ignored()
    {
        var browser = new Browser(app, Stranger, forwarded: true);

        var login = await browser.GetAsync("/if/login/");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.False(login.Headers.Contains("Strict-Transport-Security"));
        Assert.Contains(Cookies(login), c => c.StartsWith("enrollment_csrf=") && !IsSecure(c));

        var wrongUser = $"wrong-{Guid.NewGuid():N}"[..20];
        await browser.PostFormAsync("/if/login/", await TokenAsync(login), ("Input.Username", wrongUser), ("Input.Password", "nope-nope"));
        Assert.Equal(Stranger, await ClientIpOfLoginFailureAsync(wrongUser));

        var signedIn = await browser.PostFormAsync("/if/login/", await TokenAsync(await browser.GetAsync("/if/login/")),
            ("Input.Username", "akadmin"), ("Input.Password", EnrollmentApp.AdminPassword));
        Assert.Contains(Cookies(signedIn), c => c.StartsWith("enrollment_session=") && !IsSecure(c));
        var invitation = await InvitationAsync();
        Assert.Equal($"http://localhost/if/flow/invitation-enrollment/?itoken={invitation}",
            await InvitationLinkAsync(await browser.GetAsync($"/if/admin/invitations/{invitation}/")));
    }

    [Fact]
    public async Task A_trusted_proxy_forwarding_a_host_that_is_not_allowed_gets_400()
    {
        var browser = new Browser(app, Proxy, forwarded: true, forwardedHost: "attacker.example");
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/if/login/")).StatusCode);
    }

    [Fact]
    public async Task A_spoofed_client_address_before_the_proxy_is_not_believed()
    {
        // The client sent its own X-Forwarded-For; the proxy appended the address it saw. Only the proxy's entry counts.
        var browser = new Browser(app, Proxy, forwarded: true, forwardedFor: $"10.0.0.99, {Client}");
        var login = await browser.GetAsync("/if/login/");
        var wrongUser = $"wrong-{Guid.NewGuid():N}"[..20];
        await browser.PostFormAsync("/if/login/", await TokenAsync(login), ("Input.Username", wrongUser), ("Input.Password", "nope-nope"));
        Assert.Equal(Client, await ClientIpOfLoginFailureAsync(wrongUser));
    }

    private async Task<string?> ClientIpOfLoginFailureAsync(string username) =>
        (await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "login_failed").ToListAsync()))
        .Single(e => (string?)e.Context["username"] == username).ClientIp;

    private Task<Guid> InvitationAsync() => app.DbAsync(async db =>
    {
        var flow = await db.Flows.SingleAsync(f => f.Slug == "invitation-enrollment");
        var invitation = new Invitation { Name = $"proxy-{Guid.NewGuid():N}", FlowId = flow.Id };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        return invitation.Id;
    });

    private static async Task<string?> InvitationLinkAsync(HttpResponseMessage details) =>
        (await new HtmlParser().ParseDocumentAsync(await details.Content.ReadAsStringAsync())).QuerySelector("#invitation-link")?.GetAttribute("value");

    private static async Task<string> TokenAsync(HttpResponseMessage page) =>
        TestClient.AntiforgeryToken(await new HtmlParser().ParseDocumentAsync(await page.Content.ReadAsStringAsync()));

    private static IEnumerable<string> Cookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values : [];

    private static bool IsSecure(string setCookie) => Regex.IsMatch(setCookie, @";\s*secure(;|$)", RegexOptions.IgnoreCase);

    /// <summary>
    /// A browser behind the proxy: its requests reach the server from <paramref name="peer"/> with the proxy's headers.
    /// Cookies are kept by hand (an HttpClient cookie jar would not send Secure cookies to http://localhost).
    /// </summary>
    private sealed class Browser(ProxiedApp app, string peer, bool forwarded, string forwardedHost = "id.example.com", string forwardedFor = Client)
    {
        private readonly HttpClient http = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        private readonly Dictionary<string, string> cookies = [];

        public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

        public Task<HttpResponseMessage> PostFormAsync(string path, string token, params (string Key, string Value)[] fields) =>
            SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
            {
                Content = new FormUrlEncodedContent([.. fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)), new("__RequestVerificationToken", token)]),
            });

        private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
        {
            request.Headers.Add(PeerAddress.Header, peer);
            if (forwarded)
            {
                request.Headers.Add("X-Forwarded-For", forwardedFor);
                request.Headers.Add("X-Forwarded-Proto", "https");
                request.Headers.Add("X-Forwarded-Host", forwardedHost);
            }
            if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
            var response = await http.SendAsync(request);
            foreach (var setCookie in Cookies(response))
            {
                var pair = setCookie.Split(';')[0];
                var eq = pair.IndexOf('=');
                var (name, value) = (pair[..eq], pair[(eq + 1)..]);
                if (value.Length == 0) cookies.Remove(name);
                else cookies[name] = value;
            }
            return response;
        }
    }
}
