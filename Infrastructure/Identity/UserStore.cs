using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// Identity's EF Core store for users, with the lookup by username compiled once: Identity runs it on every user
/// it creates (the duplicate check) and every password sign-in, and building its LINQ query each time cost more
/// than running it. Every account can be locked out, whatever its <c>lockout_enabled</c> column says.
/// </summary>
internal sealed class UserStore(AppDbContext db, IdentityErrorDescriber? describer = null)
    : UserOnlyStore<User, AppDbContext, int>(db, describer)
{
    public override Task<User?> FindByNameAsync(string normalizedUserName, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return ByName(Context, normalizedUserName, cancellationToken);
    }

    /// <summary>
    /// Lockout applies to every account: the column is set on every write path, but accounts that blueprints created
    /// before they set it still have it off, and an account without lockout invites password guessing.
    /// </summary>
    public override Task<bool> GetLockoutEnabledAsync(User user, CancellationToken cancellationToken = default) => Task.FromResult(true);

    private static readonly Func<AppDbContext, string, CancellationToken, Task<User?>> ByName =
        EF.CompileAsyncQuery((AppDbContext db, string normalized, CancellationToken ct) =>
            db.Users.FirstOrDefault(u => u.NormalizedUserName == normalized));
}
