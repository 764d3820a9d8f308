using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Enrollment.Domain;
using Enrollment.Tests.Kit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Enrollment.Tests.Features.Account;

/// <summary>The app with Identity's real password hasher wrapped so a test can count the hashes a request computes.</summary>
public sealed class CountingHasherApp() : EnrollmentApp(new HostConfiguration())
{
    public CountingHasher Hasher { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton<IPasswordHasher<User>>(Hasher));
    }

    public sealed class CountingHasher : IPasswordHasher<User>
    {
        private readonly PasswordHasher<User> _real = new();
        private readonly ConcurrentQueue<string> _verified = new();

        public int Verifications => _verified.Count;

        /// <summary>The stored hashes verified so far, in order.</summary>
        public IReadOnlyList<string> Verified => [.. _verified];

        public string HashPassword(User user, string password) => _real.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            _verified.Enqueue(hashedPassword);
            return _real.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

/// <summary>
/// Sign-in tells a guesser nothing: an unknown user, a wrong password, a locked account and an account without a
/// password get the same message after the same work (one password hash); and an email address signs in the account
/// whose email it is, never an account that took that address as its username.
/// </summary>
public sealed class SignInEnumerationTests(CountingHasherApp app) : IClassFixture<CountingHasherApp>
{
    private const string Password = "Enum-Tulip-Glacier-58!";
    private const string Invalid = "Invalid username or password.";

    private async Task<User> UserAsync(string username, string? email, string? password = Password)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var user = new User { UserName = username, Name = username, Email = email };
        var result = password is null ? await users.CreateAsync(user) : await users.CreateAsync(user, password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user;
    }

    /// <summary>One sign-in attempt: the messages shown and the stored hashes it verified the password against.</summary>
    private async Task<(IReadOnlyList<string> Errors, IReadOnlyList<string> Hashes)> AttemptAsync(string username, string password)
    {
        using var client = app.NewClient();
        var token = TestClient.AntiforgeryToken(await client.GetPageAsync("/if/login/"));
        var before = app.Hasher.Verifications;
        var response = await client.Http.PostAsync("/if/login/", new FormUrlEncodedContent(
            [new("Input.Username", username), new("Input.Password", password), new("__RequestVerificationToken", token)]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (TestClient.Errors(await TestClient.ParseAsync(response)), app.Hasher.Verified.Skip(before).ToList());
    }

    /// <summary>
    /// What a verification against <paramref name="hash"/> costs: Identity's v3 format (marker 0x01) states its PBKDF2
    /// iteration count in bytes 5–8. The same count means the same work, whatever the machine is doing meanwhile.
    /// </summary>
    private static uint Iterations(string hash)
    {
        var bytes = Convert.FromBase64String(hash);
        Assert.Equal(0x01, bytes[0]);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5, 4));
    }

    [Fact]
    public async Task Unknown_user_wrong_password_locked_account_and_no_password_get_one_message_after_one_hash_each()
    {
        await UserAsync("enum-known", "enum-known@example.com");
        var locked = await UserAsync("enum-locked", "enum-locked@example.com");
        await UserAsync("enum-nopassword", "enum-nopassword@example.com", password: null);
        await app.DbAsync(db => db.Users.Where(u => u.Id == locked.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LockoutEnd, DateTimeOffset.UtcNow.AddMinutes(5))));

        var unknown = await AttemptAsync("enum-nobody", "Some-Tulip-Glacier-58!");
        var wrong = await AttemptAsync("enum-known", "Some-Tulip-Glacier-58!");
        var lockedOut = await AttemptAsync("enum-locked", Password); // even the right password
        var noPassword = await AttemptAsync("enum-nopassword", "Some-Tulip-Glacier-58!");
        var unknownEmail = await AttemptAsync("nobody-at-all@example.com", "Some-Tulip-Glacier-58!");

        // The same text, after the same work: one verification each, against a hash of the same cost as a real
        // password's (counted, not timed: timings on a shared machine would make this test flaky).
        var realCost = Iterations(Assert.Single(wrong.Hashes));
        Assert.True(realCost >= 10_000, $"{realCost} iterations");
        foreach (var (name, attempt) in new[] { ("unknown", unknown), ("wrong", wrong), ("locked", lockedOut), ("no password", noPassword), ("unknown email", unknownEmail) })
        {
            Assert.True(attempt.Errors.SequenceEqual([Invalid]), $"{name}: {string.Join(" | ", attempt.Errors)}");
            Assert.True(attempt.Hashes.Count == 1, $"{name}: {attempt.Hashes.Count} password hashes verified");
            Assert.Equal(realCost, Iterations(attempt.Hashes[0]));
        }
    }

    /// <summary>An account from before usernames were checked against emails, written straight to the database.</summary>
    private Task LegacyUserAsync(string username, string email, string password) => app.DbAsync(async db =>
    {
        var squatter = new User
        {
            UserName = username, NormalizedUserName = username.ToUpperInvariant(), Email = email, NormalizedEmail = email.ToUpperInvariant(),
            Name = "Legacy", SecurityStamp = Guid.NewGuid().ToString(), LockoutEnabled = true,
        };
        squatter.PasswordHash = new PasswordHasher<User>().HashPassword(squatter, password);
        db.Users.Add(squatter);
        await db.SaveChangesAsync();
    });

    [Fact]
    public async Task Identity_refuses_to_create_a_user_whose_username_is_another_email_address()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        var result = await users.CreateAsync(new User { UserName = "boss@example.com", Email = "me@example.org", Name = "x" }, Password);
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Description == User.UsernameIsAnotherEmail);
        Assert.True((await users.CreateAsync(new User { UserName = "self@example.com", Email = "Self@example.com", Name = "x" }, Password)).Succeeded);
    }

    [Fact]
    public async Task An_account_from_before_the_rule_still_signs_in_by_its_username_and_is_still_locked_out()
    {
        await LegacyUserAsync("legacy@example.net", "legacy-own@example.org", "Legacy-Tulip-Glacier-58!");
        using (var client = app.NewClient()) await client.LoginAsync("legacy@example.net", "Legacy-Tulip-Glacier-58!");
        // After a typo, the right password still works: resetting the failure count updates the user.
        await AttemptAsync("legacy@example.net", "Typo-Tulip-Glacier-58!");
        using (var client = app.NewClient()) await client.LoginAsync("legacy@example.net", "Legacy-Tulip-Glacier-58!");

        for (var i = 0; i < 5; i++) await AttemptAsync("legacy@example.net", $"Wrong-{i}-Tulip-Glacier-58!");
        var locked = await AttemptAsync("legacy@example.net", "Legacy-Tulip-Glacier-58!");
        Assert.Equal([Invalid], locked.Errors);
        Assert.True(await app.DbAsync(db => db.Users.Where(u => u.UserName == "legacy@example.net").Select(u => u.LockoutEnd).SingleAsync()) > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task An_email_address_signs_in_the_account_whose_email_it_is_not_one_that_took_it_as_username()
    {
        var owner = await UserAsync("enum-owner", "owner@example.com");
        // An account from before usernames were checked against emails: its username is somebody else's address.
        await LegacyUserAsync("owner@example.com", "squatter@example.org", "Squatter-Tulip-Glacier-58!");

        using var client = app.NewClient();
        await client.LoginAsync("owner@example.com", Password);
        var logins = await app.DbAsync(db => db.Events.AsNoTracking().Where(e => e.Action == "login").ToListAsync());
        Assert.Equal(owner.Id, (int?)logins.OrderBy(e => e.Created).Last().User["pk"]);

        // The squatter's password does not open anything through the owner's address.
        var squatting = await AttemptAsync("owner@example.com", "Squatter-Tulip-Glacier-58!");
        Assert.Equal([Invalid], squatting.Errors);
    }
}
