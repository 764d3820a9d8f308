using Enrollment.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Enrollment.Infrastructure.Web;

/// <summary>The brand's title for page chrome; one small query per page render.</summary>
public sealed class BrandTitle(AppDbContext db)
{
    public async Task<string> GetAsync() =>
        await db.Brands.AsNoTracking().Where(b => b.Default).Select(b => b.BrandingTitle).FirstOrDefaultAsync() ?? "Enrollment";
}
