using System.Net;
using Enrollment.Domain;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.EntityFrameworkCore;
using static Enrollment.Tests.Features.Users.UserPages;

namespace Enrollment.Tests.Features.Users;

/// <summary><c>/if/admin/users/{id}/deactivate/</c> and <c>…/activate/</c>, and what an admin may not do to their own account.</summary>
[Collection(UsersCollection.Name)]
public sealed class SetUserActiveTests(Hosts.Default app)
{
    [Fact]
    public async Task A_deactivated_admin_loses_the_admin_and_cannot_sign_in_until_activated()
    {
        var id = await CreateUserAsync(app, "deact-erin", admin: true);
        using var erin = app.NewClient();
        await erin.LoginAsync("deact-erin", Password);
        await erin.GetPageAsync("/if/admin/users/");

        using var admin = await app.AdminClientAsync();
        (await admin.PostFormAsync($"/if/admin/users/{id}/deactivate/")).AssertRedirect($"/if/admin/users/{id}/");
        Assert.False(await app.DbAsync(db => db.Users.Where(u => u.Id == id).Select(u => u.IsActive).SingleAsync()));
        Assert.True(await app.DbAsync(db => db.Events.AnyAsync(e => e.Action == "model_updated")));

        Assert.NotEqual(HttpStatusCode.OK, (await erin.Http.GetAsync("/if/admin/users/")).StatusCode);
        using var again = app.NewClient();
        var login = await again.PostFormAsync("/if/login/", ("Input.Username", "deact-erin"), ("Input.Password", Password));
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("This account is deactivated. Ask an administrator to activate it.", TestClient.Errors(await TestClient.ParseAsync(login)));

        (await admin.PostFormAsync($"/if/admin/users/{id}/activate/")).AssertRedirect($"/if/admin/users/{id}/");
        await again.LoginAsync("deact-erin", Password);
    }

    [Fact]
    public async Task An_admin_cannot_deactivate_or_delete_their_own_account()
    {
        var self = await AdminIdAsync(app);
        using var client = await app.AdminClientAsync();
        var confirm = await client.GetPageAsync($"/if/admin/users/{self}/deactivate/");
        Assert.Contains("You cannot deactivate your own account", confirm.QuerySelector("[role=alert]")!.TextContent);

        var deactivate = await client.PostFormAsync("/if/admin/users/", [], $"/if/admin/users/{self}/deactivate/");
        Assert.Equal(HttpStatusCode.OK, deactivate.StatusCode);
        Assert.Contains("You cannot deactivate your own account; ask another administrator.", TestClient.Errors(await TestClient.ParseAsync(deactivate)));

        var delete = await client.PostFormAsync("/if/admin/users/", [], $"/if/admin/users/{self}/delete/");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.Contains("You cannot delete your own account; ask another administrator.", TestClient.Errors(await TestClient.ParseAsync(delete)));

        Assert.True(await app.DbAsync(db => db.Users.Where(u => u.Id == self).Select(u => u.IsActive).SingleAsync()));
    }
}
