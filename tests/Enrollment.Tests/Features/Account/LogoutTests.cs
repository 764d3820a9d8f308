using System.Net;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Account;

/// <summary><c>/if/logout/</c>: signing out.</summary>
[Collection(AccountCollection.Name)]
public sealed class LogoutTests(Hosts.Default app)
{
    [Fact]
    public async Task Sign_out_is_a_post_and_ends_the_session()
    {
        using var client = await app.AdminClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/if/admin/")).StatusCode);
        (await client.PostFormAsync("/if/logout/", [])).AssertRedirect("/");
        (await client.Http.GetAsync("/if/admin/")).AssertRedirect("http://localhost/if/login/");
    }
}
