using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Enrollment.Infrastructure.Web;

/// <summary>
/// The default brand for page chrome, read at most every few seconds: editing the brand here forgets it at once,
/// another process sharing the database sees the change within <see cref="Lifetime"/>.
/// </summary>
public sealed class BrandTitle(IServiceProvider services, IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(5);
    private static readonly object Key = new();

    /// <summary>The brand's title.</summary>
    public async Task<string> GetAsync() => (await GetLookAsync()).Title;

    /// <summary>Everything pages take from the brand.</summary>
    public async Task<BrandLook> GetLookAsync()
    {
        try
        {
            return await cache.GetOrCreateAsync(Key, async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = Lifetime;
                // Resolved here, not injected: on SQLite resolving the context opens the file, which may be what failed.
                var db = services.GetRequiredService<AppDbContext>();
                var brand = await db.Brands.AsNoTracking().Where(b => b.Default).FirstOrDefaultAsync();
                return brand is null ? BrandLook.Fallback : BrandLook.Of(brand);
            }) ?? BrandLook.Fallback;
        }
        catch (Exception e) when (DatabaseUnavailable.Is(e))
        {
            // The "try again" page itself must render while the database is away.
            return BrandLook.Fallback;
        }
    }

    /// <summary>After the brand was edited: the next page reads it again.</summary>
    public void Forget() => cache.Remove(Key);
}
