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

    public const string TokenIdentifier = "authentik-bootstrap-token";

    /// <summary>
    /// The default brand when there is none; <c>akadmin</c> and its API token as authentik's bootstrap blueprint makes
    /// them (see <see cref="EnsureAdminAsync"/>). With no admin at all, logs the initial set-up link instead.
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

        await EnsureAdminAsync(sp, db, config, log);

        if (!await AnySuperuserAsync(db))
        {
            var setup = sp.GetRequiredService<InitialSetupLink>();
            // Its own event id: the one log line allowed to show a link's key in full (it is how the link reaches the operator).
            log.LogWarning(RedactingConsoleLoggerProvider.InitialSetupLinkEvent, "No administrator exists yet. Open {Link} on this server to choose the password of '{Username}'. The link works until an administrator exists, at most until {Expires:u} ({Lifetime}); restart the server for a new one.",
                setup.Link, AdminUsername, setup.Expires, setup.Lifetime);
        }
    }

    /// <summary>
    /// At every start, whenever <c>ENROLLMENT_BOOTSTRAP_PASSWORD</c> or <c>ENROLLMENT_BOOTSTRAP_TOKEN</c> is set:
    /// <c>akadmin</c> exists, and with the token variable its token (<c>authentik-bootstrap-token</c>) exists, each
    /// created when missing and never changed when present (authentik's bootstrap blueprint uses
    /// <c>state: created</c>), on a database that already has other users too. So a password or token changed since
    /// through the admin or the API stays, and a deleted token comes back with the configured key. With only the
    /// token set, <c>akadmin</c> is created without a usable password, as authentik does; the token can set one.
    /// </summary>
    public static async Task EnsureAdminAsync(IServiceProvider sp, AppDbContext db, IConfiguration config, ILogger log)
    {
        var password = config["ENROLLMENT_BOOTSTRAP_PASSWORD"];
        var key = config["ENROLLMENT_BOOTSTRAP_TOKEN"];
        if (string.IsNullOrEmpty(password) && string.IsNullOrEmpty(key)) return;

        var admin = await db.Users.SingleOrDefaultAsync(u => u.UserName == AdminUsername);
        if (admin is null)
        {
            var result = await CreateAdminAsync(sp, config["ENROLLMENT_BOOTSTRAP_EMAIL"], string.IsNullOrEmpty(password) ? null : password);
            if (!result.Succeeded)
                throw new InvalidOperationException("ENROLLMENT_BOOTSTRAP_PASSWORD was rejected: " + string.Join(" ", result.Errors.Select(e => e.Description)));
            log.LogInformation(string.IsNullOrEmpty(password)
                ? "Created superuser {Username} without a password (only ENROLLMENT_BOOTSTRAP_TOKEN is set)"
                : "Created superuser {Username} from ENROLLMENT_BOOTSTRAP_PASSWORD", AdminUsername);
            admin = await db.Users.SingleAsync(u => u.UserName == AdminUsername);
        }

        if (string.IsNullOrEmpty(key) || await db.Tokens.AnyAsync(t => t.Identifier == TokenIdentifier)) return;
        db.Tokens.Add(new Token
        {
            Identifier = TokenIdentifier,
            KeyHash = ApiTokenAuthenticationHandler.Digest(key),
            UserId = admin.Id,
            Expiring = false,
            Description = "Created from ENROLLMENT_BOOTSTRAP_TOKEN",
        });
        await db.SaveChangesAsync();
        log.LogInformation("Created the API token {Identifier} of {Username} from ENROLLMENT_BOOTSTRAP_TOKEN", TokenIdentifier, AdminUsername);
    }

    public static Task<bool> AnySuperuserAsync(AppDbContext db) =>
        db.Users.AnyAsync(u => u.IsActive && u.Groups.Any(g => g.IsSuperuser));

    /// <param name="password">Null: no usable password (set one later).</param>
    public static async Task<IdentityResult> CreateAdminAsync(IServiceProvider sp, string? email, string? password)
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
        return password is null ? await users.CreateAsync(admin) : await users.CreateAsync(admin, password);
    }
}
