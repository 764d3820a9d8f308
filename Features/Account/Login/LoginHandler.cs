using System.Text.Json.Nodes;
using Enrollment.Domain;
using Enrollment.Infrastructure.Audit;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Identity;
using Mediator;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Features.Account.Login;

internal sealed class LoginHandler(
    AppDbContext db, UserManager<User> users, SignInManager<User> signIn, SuperuserCheck superuser, AuditTrail audit)
    : ICommandHandler<Login.Command, Login.Result>
{
    // One message for every wrong combination, so the form does not reveal which usernames exist.
    private const string Invalid = "Invalid username or password.";

    public async ValueTask<Login.Result> Handle(Login.Command command, CancellationToken ct)
    {
        var name = command.Username.Trim();
        var user = await users.FindByNameAsync(name)
                   ?? await db.Users.Where(u => u.NormalizedEmail == users.NormalizeEmail(name)).OrderBy(u => u.Id).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            await Fail(name, "user not found", ct);
            return new(Invalid, false);
        }

        var check = await signIn.CheckPasswordSignInAsync(user, command.Password, lockoutOnFailure: true);
        if (check.IsLockedOut)
        {
            await Fail(name, "locked out", ct);
            return new("Too many failed attempts. This account is locked for a few minutes; try again later.", false);
        }
        if (!check.Succeeded)
        {
            await Fail(name, "invalid password", ct);
            return new(Invalid, false);
        }
        if (!user.IsActive)
        {
            await Fail(name, "user inactive", ct);
            return new("This account is deactivated. Ask an administrator to activate it.", false);
        }

        await signIn.SignInAsync(user, isPersistent: false);
        user.LastLogin = DateTime.UtcNow;
        audit.Record("login", new JsonObject { ["method"] = "password" }, user);
        await db.SaveChangesAsync(ct);
        return new(null, await superuser.IsSuperuserAsync(user.Id, ct));
    }

    private async Task Fail(string username, string reason, CancellationToken ct)
    {
        audit.Record("login_failed", new JsonObject { ["username"] = username, ["reason"] = reason });
        await db.SaveChangesAsync(ct);
    }
}
