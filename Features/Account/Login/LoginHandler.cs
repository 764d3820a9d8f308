using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Account.Login;

/// <summary>
/// Password sign-in by username or email. Whatever went wrong — no such account, a wrong password, a locked account,
/// an account without a password — the answer is the same message after the same work (one password hash), so
/// neither the text nor the time tells a guesser which usernames exist or which accounts are locked.
/// </summary>
internal sealed class LoginHandler(
    AppDbContext db, UserManager<User> users, SignInManager<User> signIn, SuperuserCheck superuser, AuditTrail audit)
    : ICommandHandler<Login.Command, Login.Result>
{
    // One message for every wrong combination, so the form does not reveal which usernames exist or are locked.
    private const string Invalid = "Invalid username or password.";

    /// <summary>A hash of a random password from this process's hasher, verified when there is no real one to verify.</summary>
    private static string? _placeholderHash;

    public async ValueTask<Login.Result> Handle(Login.Command command, CancellationToken ct)
    {
        var name = command.Username.Trim();
        var user = await FindAsync(name, ct);

        var reason = user is null ? "user not found"
            : user.PasswordHash is null ? "no password"
            : await users.IsLockedOutAsync(user) ? "locked out"
            : null;
        if (reason is not null)
        {
            // The hash a real check would compute, so this answer takes as long as a wrong password's.
            users.PasswordHasher.VerifyHashedPassword(user ?? new User(), user?.PasswordHash ?? PlaceholderHash(), command.Password);
            await Fail(name, reason, ct);
            return new(Invalid, false);
        }

        var check = await signIn.CheckPasswordSignInAsync(user!, command.Password, lockoutOnFailure: true);
        if (!check.Succeeded)
        {
            await Fail(name, check.IsLockedOut ? "invalid password, now locked out" : "invalid password", ct);
            return new(Invalid, false);
        }
        if (!user!.IsActive)
        {
            // Only someone who knows the password learns this.
            await Fail(name, "user inactive", ct);
            return new("This account is deactivated. Ask an administrator to activate it.", false);
        }

        await signIn.SignInAsync(user, isPersistent: false);
        user.LastLogin = DateTime.UtcNow;
        audit.Record("login", new JsonObject { ["method"] = "password" }, user);
        await db.SaveChangesAsync(ct);
        return new(null, await superuser.IsSuperuserAsync(user.Id, ct));
    }

    /// <summary>
    /// An email address finds the account whose email it is, before an account whose username is that text: a username
    /// never stands in for somebody else's address (<see cref="User.UsernameShadowsEmail"/> keeps new ones from trying).
    /// </summary>
    private async Task<User?> FindAsync(string name, CancellationToken ct)
    {
        if (!name.Contains('@')) return await users.FindByNameAsync(name);
        var email = users.NormalizeEmail(name);
        return await db.Users.Where(u => u.NormalizedEmail == email).OrderBy(u => u.Id).FirstOrDefaultAsync(ct)
               ?? await users.FindByNameAsync(name);
    }

    private string PlaceholderHash() =>
        _placeholderHash ??= users.PasswordHasher.HashPassword(new User(), Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    private async Task Fail(string username, string reason, CancellationToken ct)
    {
        audit.Record("login_failed", new JsonObject { ["username"] = username, ["reason"] = reason });
        await db.SaveChangesAsync(ct);
    }
}
