using System.Net;
using System.Net.Http.Json;
using Enrollment.Domain;
using Enrollment.Infrastructure.Web;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

using Enrollment.Tests.Kit;

namespace Enrollment.Tests.Infrastructure.Web;

/// <summary>
/// Without <c>BaseUrl</c>, links start with the request's host; so only the server's own hosts are answered, and a
/// request naming another host gets 400 before anything is queued.
/// </summary>
public sealed class HostFilteringTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task An_invitation_email_requested_through_the_api_with_a_foreign_host_is_refused_and_nothing_is_queued()
    {
        var invitation = await InvitationAsync();
        using var api = app.ApiClient();
        var body = new { email_addresses = new[] { "jane@example.com" } };

        var foreign = await api.PostAsJsonAsync($"http://attacker.example/api/v3/stages/invitation/invitations/{invitation}/send_email/", body);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(0, await DeliveriesAsync(invitation));

        // The same request to the server's own host is queued, with a link to that host.
        var own = await api.PostAsJsonAsync($"http://localhost/api/v3/stages/invitation/invitations/{invitation}/send_email/", body);
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        Assert.Equal(1, await DeliveriesAsync(invitation));
        Assert.Equal("http://localhost", await app.DbAsync(db => db.InvitationDeliveries.Where(d => d.InvitationId == invitation).Select(d => d.BaseUrl).SingleAsync()));
    }

    [Fact]
    public async Task An_invitation_email_sent_from_the_admin_page_with_a_foreign_host_is_refused_and_nothing_is_queued()
    {
        var invitation = await InvitationAsync();
        var cookies = new CookieContainer();
        using var http = app.CreateDefaultClient(new Uri("http://localhost"), new CookieContainerHandler(cookies));
        using var admin = new TestClient(http);
        await admin.LoginAsync("akadmin", EnrollmentApp.AdminPassword);
        var page = $"/if/admin/invitations/{invitation}/send/";
        var token = TestClient.AntiforgeryToken(await admin.GetPageAsync(page), page, page);
        // The browser's cookies, sent to the other name as a proxy passing the client's Host header would.
        foreach (Cookie c in cookies.GetAllCookies()) cookies.Add(new Uri("http://attacker.example"), new Cookie(c.Name, c.Value, "/"));

        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Addresses"] = "jane@example.com",
            ["__RequestVerificationToken"] = token,
        });
        var foreign = await http.PostAsync($"http://attacker.example{page}", form);
        Assert.Equal(HttpStatusCode.BadRequest, foreign.StatusCode);
        Assert.Equal(0, await DeliveriesAsync(invitation));
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("localhost:5000")]
    public async Task Localhost_is_always_answered(string host)
    {
        using var client = app.CreateClient();
        var response = await client.GetAsync($"http://{host}/if/login/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public void By_default_the_hosts_of_the_listen_addresses_and_localhost_are_allowed()
    {
        var hosts = HostFilteringExtensions.AllowedHosts(Config(("urls", "http://id.example.com:8080;http://0.0.0.0:9000;http://+:80")));
        Assert.Equal(["localhost", "127.0.0.1", "[::1]", "id.example.com"], hosts);
        var kestrel = HostFilteringExtensions.AllowedHosts(Config(("Kestrel:Endpoints:Https:Url", "https://enroll.example.org:443")));
        Assert.Contains("enroll.example.org", kestrel);
        Assert.True(HostFilteringExtensions.ListensOnAllAddresses(Config(("urls", "http://0.0.0.0:9000"))));
        Assert.False(HostFilteringExtensions.ListensOnAllAddresses(Config(("urls", "http://127.0.0.1:9000"))));
    }

    [Fact]
    public void AllowedHosts_wins_and_BaseUrl_makes_links_independent_of_the_host()
    {
        Assert.Equal(["id.example.com", "*.example.org"], HostFilteringExtensions.AllowedHosts(Config(("AllowedHosts", "id.example.com; *.example.org"), ("BaseUrl", "https://x.example"))));
        Assert.Equal(["*"], HostFilteringExtensions.AllowedHosts(Config(("BaseUrl", "https://id.example.com"), ("urls", "http://127.0.0.1:9000"))));
        Assert.Equal(["*"], HostFilteringExtensions.AllowedHosts(Config(("AllowedHosts", "*"))));
    }

    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private Task<int> DeliveriesAsync(Guid invitation) => app.DbAsync(db => db.InvitationDeliveries.CountAsync(d => d.InvitationId == invitation));

    private Task<Guid> InvitationAsync() => app.DbAsync(async db =>
    {
        var flow = await db.Flows.SingleAsync(f => f.Slug == "invitation-enrollment");
        var invitation = new Invitation { Name = $"host-{Guid.NewGuid():N}", FlowId = flow.Id };
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync();
        return invitation.Id;
    });
}
