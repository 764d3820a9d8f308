using Enrollment.Domain;
using Enrollment.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Identity;

/// <summary>
/// Identity's EF Core store for users, with the lookup by username compiled once: Identity runs it on every user
/// it creates (the duplicate check) and every password sign-in, and building its LINQ query each time cost more
/// than running it.
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

    private static readonly Func<AppDbContext, string, CancellationToken, Task<User?>> ByName =
        EF.CompileAsyncQuery((AppDbContext db, string normalized, CancellationToken ct) =>
            db.Users.FirstOrDefault(u => u.NormalizedUserName == normalized));
}
