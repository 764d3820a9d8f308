using System.Net;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Kit;

public static partial class FlowKit
{
    // ---- people to arrange ----

    /// <summary>An internal user <c>Name of {username}</c> with <see cref="Password"/>, in <paramref name="groups"/>.</summary>
    public static async Task<User> CreateUserAsync(EnrollmentApp app, string username, params Group[] groups)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var user = new User { UserName = username, Name = $"Name of {username}", Email = $"{username}@example.com", Type = UserType.Internal };
        foreach (var g in groups) user.Groups.Add(db.Groups.Find(g.Id)!);
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    public static async Task<Group> GroupAsync(EnrollmentApp app, string name, Group? parent = null)
    {
        var group = new Group { Name = name, ParentId = parent?.Id };
        await app.DbAsync(db => { db.Groups.Add(group); return db.SaveChangesAsync(); });
        return group;
    }

    /// <summary>A client signed in as <paramref name="username"/> (made by <see cref="CreateUserAsync"/>).</summary>
    public static async Task<TestClient> SignedInAsync(EnrollmentApp app, string username)
    {
        var client = app.NewClient();
        await client.LoginAsync(username, Password);
        return client;
    }

    /// <summary>The user interface sends this client to the sign-in page: nobody is signed in.</summary>
    public static async Task AssertSignedOutAsync(TestClient client)
    {
        var response = await client.Http.GetAsync("/if/user/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/if/login/", new Uri(new Uri("http://localhost"), response.Headers.Location!).AbsolutePath);
    }

    // ---- what a flow wrote ----

    public static Task<User?> UserAsync(EnrollmentApp app, string username) =>
        app.DbAsync(db => db.Users.AsNoTracking().Include(u => u.Groups).SingleOrDefaultAsync(u => u.UserName == username));

    public static Task<int> UserCountAsync(EnrollmentApp app) => app.DbAsync(db => db.Users.CountAsync());

    public static Task<int> UsesAsync(EnrollmentApp app, Guid invitationId) =>
        app.DbAsync(db => db.Invitations.AsNoTracking().Where(i => i.Id == invitationId).Select(i => i.Uses).SingleAsync());

    /// <summary>Checks every field of the written user the scenarios care about.</summary>
    public static async Task<User> AssertUserAsync(EnrollmentApp app, string username, string name, string? email, string path, UserType type,
        string[] groups, string attributesJson = "{}", bool isActive = true, bool hasPassword = true)
    {
        var user = await UserAsync(app, username);
        Assert.True(user is not null, $"No user {username} was written.");
        Assert.Equal(username, user!.UserName);
        Assert.Equal(name, user.Name);
        Assert.Equal(email, user.Email);
        Assert.Equal(path, user.Path);
        Assert.Equal(type, user.Type);
        Assert.Equal(groups.Order(), user.Groups.Select(g => g.Name).Order());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(attributesJson), user.Attributes),
            $"Attributes: expected {attributesJson}, got {user.Attributes.ToJsonString()}");
        Assert.Equal(isActive, user.IsActive);
        Assert.Equal(hasPassword, user.PasswordHash is not null);
        return user;
    }
}
