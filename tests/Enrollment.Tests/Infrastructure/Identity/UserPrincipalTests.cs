using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Enrollment.Tests.Infrastructure.Identity;

/// <summary>The signed-in principal is built without Identity's per-user claims query, and holds what Identity's own factory puts in it.</summary>
public sealed class UserPrincipalTests(Hosts.Default app) : IClassFixture<Hosts.Default>
{
    [Theory]
    [InlineData("principal-mail", "principal@example.com")]
    [InlineData("principal-nomail", null)]
    public async Task The_principal_has_the_claims_of_identitys_own_factory(string username, string? email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = new User { UserName = username, Name = username, Email = email };
        Assert.True((await users.CreateAsync(user, "Principal-Tulip-Glacier-58!")).Succeeded);

        var ours = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<User>>().CreateAsync(user);
        var identitys = await new UserClaimsPrincipalFactory<User>(users, scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>()).CreateAsync(user);

        Assert.Equal(Claims(identitys), Claims(ours));
        Assert.Equal(identitys.Identity!.AuthenticationType, ours.Identity!.AuthenticationType);
        Assert.Equal(username, ours.Identity.Name);
        Assert.Contains(Claims(ours), c => c.Value == user.Id.ToString());
    }

    private static List<(string Type, string Value)> Claims(System.Security.Claims.ClaimsPrincipal principal) =>
        [.. principal.Claims.Select(c => (c.Type, c.Value)).Order()];
}
