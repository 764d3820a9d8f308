using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// The brand's title for page chrome, read at most every few seconds: editing the brand here forgets it at once,
/// another process sharing the database sees the new title within <see cref="Lifetime"/>.
/// </summary>
public sealed class BrandTitle(IServiceProvider services, IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private static readonly object Key = new();

    public async Task<string> GetAsync()
    {
        try
        {
            return await cache.GetOrCreateAsync(Key, async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = Lifetime;
                // Resolved here, not injected: on SQLite resolving the context opens the file, which may be what failed.
                var db = services.GetRequiredService<AppDbContext>();
                return await db.Brands.AsNoTracking().Where(b => b.Default).Select(b => b.BrandingTitle).FirstOrDefaultAsync() ?? "Enrollment";
            }) ?? "Enrollment";
        }
        catch (Exception e) when (DatabaseUnavailable.Is(e))
        {
            // The "try again" page itself must render while the database is away.
            return "Enrollment";
        }
    }

    /// <summary>After the brand was edited: the next page reads the title again.</summary>
    public void Forget() => cache.Remove(Key);
}
