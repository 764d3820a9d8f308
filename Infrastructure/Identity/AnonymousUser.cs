using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// authentik's <c>AnonymousUser</c> (django-guardian's): the user that objects made by a blueprint or the system are
/// "created by", so the API never shows a <c>null</c> creator. It has no password and is inactive: nobody can sign
/// in as it.
/// </summary>
public static class AnonymousUser
{
    public const string Username = User.AnonymousUsername;

    public static async Task EnsureAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        if (await db.Users.AnyAsync(u => u.UserName == Username)) return;
        db.Users.Add(new User
        {
            UserName = Username,
            NormalizedUserName = Username.ToUpperInvariant(),
            Name = "",
            IsActive = false,
            Path = "users",
            Type = UserType.Internal,
            SecurityStamp = Guid.NewGuid().ToString("N"),
        });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Another instance starting at the same time created it (the username is unique).
        }
    }

    public static Task<User?> FindAsync(AppDbContext db, CancellationToken ct) =>
        db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == Username, ct);
}
