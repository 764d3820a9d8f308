using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Users;

/// <summary>The users the tests of the user slices look at.</summary>
public static class UserPages
{
    public const string Password = "User-Tulip-Glacier-58!";

    /// <summary>A user <c>{username} Person</c> on <paramref name="path"/>, an admin when asked; returns the id.</summary>
    public static async Task<int> CreateUserAsync(EnrollmentApp app, string username, string path = "users", bool admin = false, JsonObject? attributes = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = new User { UserName = username, Name = $"{username} Person", Email = $"{username}@example.com", Path = path, Attributes = attributes ?? [] };
        if (admin) user.Groups.Add(await db.Groups.SingleAsync(g => g.Name == Bootstrap.AdminGroup));
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    public static Task<int> AdminIdAsync(EnrollmentApp app) => app.DbAsync(db => db.Users.Where(u => u.UserName == "akadmin").Select(u => u.Id).SingleAsync());
}
