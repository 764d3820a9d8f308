using System.Net;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Infrastructure.Identity;

public sealed class BootstrapTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Fact]
    public async Task Bootstrap_password_creates_akadmin_as_superuser_and_the_token_authenticates()
    {
        var admin = await app.DbAsync(db => db.Users.Include(u => u.Groups).SingleAsync(u => u.UserName == "akadmin"));
        Assert.Equal("admin@example.com", admin.Email);
        Assert.Contains(admin.Groups, g => g.IsSuperuser && g.Name == "authentik Admins");
        var token = await app.DbAsync(db => db.Tokens.SingleAsync());
        Assert.Equal(ApiTokenAuthenticationHandler.Digest(EnrollmentApp.AdminToken), token.KeyHash);
        Assert.NotEqual(EnrollmentApp.AdminToken, token.KeyHash);

        using var api = app.ApiClient();
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v3/core/users/")).StatusCode);
    }

    [Fact]
    public async Task The_initial_setup_link_is_closed_once_an_admin_exists()
    {
        var token = app.Services.GetRequiredService<InitialSetupLink>().Token;
        using var client = app.NewClient();
        var page = await client.GetPageAsync($"/if/flow/initial-setup/?token={token}", HttpStatusCode.NotFound);
        Assert.Contains("no longer valid", page.QuerySelector("[role=alert]")!.TextContent);
    }
}
