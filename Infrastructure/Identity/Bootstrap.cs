using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Enrollment.Infrastructure.Telemetry;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Identity;

public static class Bootstrap
{
    public const string AdminUsername = "akadmin";
    public const string AdminGroup = "authentik Admins";

    /// <summary>
    /// On an empty database: the default brand, and the superuser from <c>ENROLLMENT_BOOTSTRAP_PASSWORD</c> (plus an
    /// API token from <c>ENROLLMENT_BOOTSTRAP_TOKEN</c>). With no admin at all, logs the initial set-up link instead.
    /// </summary>
    public static async Task BootstrapAsync(this IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var config = sp.GetRequiredService<IConfiguration>();
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Enrollment.Bootstrap");

        if (!await db.Brands.AnyAsync())
        {
            db.Brands.Add(new Brand());
            await db.SaveChangesAsync();
        }

        var password = config["ENROLLMENT_BOOTSTRAP_PASSWORD"];
        if (!string.IsNullOrEmpty(password) && !await db.Users.AnyAsync())
        {
            var result = await CreateAdminAsync(sp, config["ENROLLMENT_BOOTSTRAP_EMAIL"], password);
            if (!result.Succeeded)
                throw new InvalidOperationException("ENROLLMENT_BOOTSTRAP_PASSWORD was rejected: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            log.LogInformation("Created superuser {Username} from ENROLLMENT_BOOTSTRAP_PASSWORD", AdminUsername);

            var key = config["ENROLLMENT_BOOTSTRAP_TOKEN"];
            if (!string.IsNullOrEmpty(key))
            {
                var admin = await db.Users.SingleAsync(u => u.UserName == AdminUsername);
                db.Tokens.Add(new Token
                {
                    Identifier = "authentik-bootstrap-token",
                    KeyHash = ApiTokenAuthenticationHandler.Digest(key),
                    UserId = admin.Id,
                    Expiring = false,
                    Description = "Created from ENROLLMENT_BOOTSTRAP_TOKEN",
                });
                await db.SaveChangesAsync();
            }
        }

        if (!await AnySuperuserAsync(db))
        {
            var setup = sp.GetRequiredService<InitialSetupLink>();
            // Its own event id: the one log line allowed to show a link's key in full (it is how the link reaches the operator).
            log.LogWarning(RedactingConsoleLoggerProvider.InitialSetupLinkEvent, "No administrator exists yet. Open {Link} on this server to choose the password of '{Username}'. The link works until an administrator exists, at most until {Expires:u} ({Lifetime}); restart the server for a new one.",
                setup.Link, AdminUsername, setup.Expires, setup.Lifetime);
        }
    }

    public static Task<bool> AnySuperuserAsync(AppDbContext db) =>
        db.Users.AnyAsync(u => u.IsActive && u.Groups.Any(g => g.IsSuperuser));

    public static async Task<IdentityResult> CreateAdminAsync(IServiceProvider sp, string? email, string password)
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var users = sp.GetRequiredService<UserManager<User>>();
        var group = await db.Groups.SingleOrDefaultAsync(g => g.Name == AdminGroup)
                    ?? db.Groups.Add(new Group { Name = AdminGroup, IsSuperuser = true }).Entity;
        var admin = new User
        {
            UserName = AdminUsername,
            Name = "authentik Default Admin",
            Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
            Type = UserType.Internal,
            Path = "users",
            Groups = [group],
        };
        return await users.CreateAsync(admin, password);
    }
}
